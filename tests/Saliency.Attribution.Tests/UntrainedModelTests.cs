using System.Text.Json;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>ResNet-class networks: the untrained ones the project builds, and the torchvision files users bring.</summary>
public class UntrainedModelTests
{
    [Fact]
    public void An_untrained_resnet_declares_imagenet_input_normalisation_and_preprocessing()
    {
        using var model = ModelLoader.Load("untrained:resnet18");

        Assert.Equal(new ImageShape(3, 224, 224), model.Spec.Input);
        Assert.Equal(UntrainedModels.ImageNetMean, model.Spec.Mean);
        Assert.Equal(UntrainedModels.ImageNetStd, model.Spec.Std);
        Assert.Equal(new ImagePreprocess(256, 224), model.Spec.Preprocess);
        Assert.True(ModelLoader.IsBuiltIn("untrained:resnet18"));
    }

    [Fact]
    public void Every_load_builds_the_same_untrained_network_whatever_else_draws_random_numbers()
    {
        using var first = ModelLoader.Load("untrained:resnet18");
        using (var _ = rand(1000)) { }
        using var second = ModelLoader.Load("untrained:resnet18");
        using var scope = NewDisposeScope();
        var pixels = rand(2, 3, 64, 64, generator: new Generator(5));

        var (a, b) = (first.Logits(pixels), second.Logits(pixels));

        Assert.Equal(new long[] { 2, 1000 }, a.shape);
        Assert.True(a.allclose(b, rtol: 0, atol: 0), $"largest difference {(a - b).abs().max().item<float>()}, largest logit {a.abs().max().item<float>()}");
    }

    [Fact]
    public void An_unknown_untrained_architecture_lists_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelLoader.Load("untrained:vgg11"));
        Assert.Contains("resnet18", error.Message);
        Assert.Contains("mobilenet_v2", error.Message);
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    [InlineData("mobilenet_v2")]
    public void The_network_has_every_entry_of_torchvisions_state_dict_with_its_shape(string architecture)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(TestData.Fixture("torchvision-state-dict-keys.json")));
        var expected = json.RootElement.GetProperty("architectures").GetProperty(architecture).EnumerateObject()
            .ToDictionary(entry => entry.Name, entry => entry.Value.EnumerateArray().Select(d => d.GetInt64()).ToArray());
        using var network = ModelLoader.Create(architecture, 1000);

        var actual = network.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.shape);

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, entry => Assert.Equal(entry.Value, actual[entry.Key]));
    }

    [Fact]
    public void A_resnet_saved_as_safetensors_loads_with_its_architecture_and_computes_the_same_logits()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "resnet18.safetensors");
        var original = ModelLoader.Create("resnet18", 10);
        original.save_safetensors(path);
        var spec = new ModelSpec("original", new ImageShape(3, 64, 64), UntrainedModels.ImageNetMean, UntrainedModels.ImageNetStd, []);
        using var expected = new ImageClassifier(spec, original);
        using var loaded = ModelLoader.Load(path, new ModelMetadata
        {
            Architecture = "resnet18",
            Input = [3, 64, 64],
            Mean = UntrainedModels.ImageNetMean,
            Std = UntrainedModels.ImageNetStd,
        });
        using var scope = NewDisposeScope();
        var pixels = rand(2, 3, 64, 64, generator: new Generator(9));

        var (a, b) = (expected.Logits(pixels), loaded.Logits(pixels));

        Assert.Equal(new long[] { 2, 10 }, b.shape);
        Assert.True(a.allclose(b, rtol: 0, atol: 1e-5), $"largest difference {(a - b).abs().max().item<float>()}");
    }

    [Fact]
    public void Grad_cam_takes_the_layer_names_a_resnet_user_knows()
    {
        using var model = ModelLoader.Load("untrained:resnet18", new ModelMetadata { Input = [3, 64, 64], Preprocess = new ImagePreprocess() });
        var images = new ImageSet("random", new ImageShape(3, 64, 64), Enumerable.Range(0, 2 * 3 * 64 * 64).Select(i => (i * 7919 % 256) / 255f).ToArray(), [0, 1], [0, 0]);

        var layer4 = new GradCam("layer4").Attribute(model, images, Target.Predicted);
        var last = new GradCam().Attribute(model, images, Target.Predicted);

        Assert.Equal(2, layer4.Count);
        Assert.Equal(3 * 64 * 64, layer4[0].Map.Length);
        Assert.Contains(layer4[0].Map, v => v != 0);
        Assert.NotEqual(layer4[0].Map, last[0].Map);
    }
}
