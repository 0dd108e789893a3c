using System.Text.Json;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using Saliency.Attribution.Training;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

public class ModelLoadingTests
{
    [Fact]
    public void The_shipped_fashion_cnn_reaches_90_percent_on_the_10000_test_images()
    {
        using var model = TestData.ShippedModel();
        var accuracy = Accuracy.Of(model, TestData.FashionTest);
        Assert.True(accuracy >= 0.90, $"accuracy {accuracy:P2}");
    }

    [Fact]
    public void The_shipped_weights_file_stays_under_2_MB()
    {
        Assert.True(new FileInfo(ModelLoader.BuiltInWeightsPath).Length < 2 * 1024 * 1024);
    }

    [Fact]
    public void Every_convolution_weight_is_laid_out_channels_last_the_one_input_channel_included()
    {
        using var model = TestData.ShippedModel();

        var weights = model.Network.parameters().Where(p => p.dim() == 4).ToArray();

        Assert.Equal(3, weights.Length);
        Assert.All(weights, w =>
            Assert.Equal(new[] { w.shape[1] * w.shape[2] * w.shape[3], 1, w.shape[3] * w.shape[1], w.shape[1] }, w.stride()));
    }

    [Fact]
    public void The_channels_last_layout_leaves_the_logits_as_the_saved_network_computes_them()
    {
        using var model = TestData.ShippedModel();
        using var untouched = new FashionCnn();
        untouched.load_safetensors(ModelLoader.BuiltInWeightsPath);
        untouched.eval();
        using var scope = NewDisposeScope();
        var pixels = TestData.FirstTestImages(32).ToTensor();

        var expected = untouched.call((pixels - FashionCnn.PixelMean[0]) / FashionCnn.PixelStd[0]);
        var logits = model.Logits(pixels);

        // The two layouts run other convolution kernels, which add in other orders: equal to a few float32 units in the last
        // place of logits of size 10.
        Assert.True(expected.allclose(logits, rtol: 1e-5, atol: 1e-5), $"largest difference {(expected - logits).abs().max().item<float>()}");
    }

    [Fact]
    public void A_torchscript_file_runs_as_pytorch_ran_it()
    {
        using var model = ModelLoader.Load(TestData.Fixture("tiny-cnn.torchscript.pt"));
        using var expected = JsonDocument.Parse(File.ReadAllText(TestData.Fixture("tiny-cnn.expected.json")));
        using var scope = NewDisposeScope();

        var logits = model.Logits(linspace(0, 1, 2 * 28 * 28).reshape(2, 1, 28, 28));

        var want = expected.RootElement.GetProperty("logits").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        Assert.Equal(want, logits.flatten().data<float>().ToArray(), (a, b) => Math.Abs(a - b) <= 1e-5f);
        Assert.Null(model.Spec.Input);
        Assert.False(model.Spec.Normalises);
    }

    [Fact]
    public void Integrated_gradients_flow_through_a_torchscript_model()
    {
        using var model = ModelLoader.Load(TestData.Fixture("tiny-cnn.torchscript.pt"));
        var results = new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("black"), Steps = 128 })
            .Attribute(model, TestData.FirstTestImages(4), Target.Predicted);

        Assert.All(results, r => Assert.True(r.Completeness!.RelativeDelta(r.Score) < 0.01));
        Assert.All(results, r => Assert.Contains(r.Map, v => v != 0));
    }

    [Fact]
    public void A_resnet_safetensors_file_loads_with_the_metadata_beside_it()
    {
        var directory = TestData.TemporaryDirectory();
        var path = Path.Combine(directory, "tiny-resnet.safetensors");
        random.manual_seed(2);
        using var original = torchvision.models.resnet18(num_classes: 4);
        original.eval();
        original.save_safetensors(path);
        File.WriteAllText(path + ".json", """{"architecture": "resnet18", "input": [3, 32, 32], "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25], "classes": ["a", "b", "c", "d"]}""");

        using var loaded = ModelLoader.Load(path);
        using var scope = NewDisposeScope();
        var pixels = rand(2, 3, 32, 32);
        using var noGrad = no_grad();
        var expected = original.forward((pixels - 0.5) / 0.25);

        Assert.Equal(expected.data<float>().ToArray(), loaded.Logits(pixels).data<float>().ToArray(), (a, b) => Math.Abs(a - b) <= 1e-4f);
        Assert.Equal(new Data.ImageShape(3, 32, 32), loaded.Spec.Input);
        Assert.Equal("c", loaded.Spec.ClassName(2));
    }

    [Fact]
    public void A_pytorch_state_dict_of_a_known_architecture_loads()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "fashion.pth");
        using (var network = new FashionCnn())
        {
            network.load_safetensors(ModelLoader.BuiltInWeightsPath);
            network.save_py(path);
        }
        using var shipped = TestData.ShippedModel();
        File.WriteAllText(path + ".json", """{"architecture": "fashion-cnn", "input": [1, 28, 28], "mean": [0.2860], "std": [0.3530]}""");

        using var loaded = ModelLoader.Load(path);
        using var scope = NewDisposeScope();
        var pixels = TestData.FirstTestImages(3).ToTensor();
        using var noGrad = no_grad();
        Assert.Equal(shipped.Logits(pixels).data<float>().ToArray(), loaded.Logits(pixels).data<float>().ToArray(), (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Fact]
    public void A_weights_file_without_an_architecture_is_refused_with_the_known_ones_listed()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "weights.safetensors");
        using (var network = new FashionCnn()) network.save_safetensors(path);

        var error = Assert.Throws<ArgumentException>(() => ModelLoader.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("resnet18", error.Message);
    }

    [Fact]
    public void A_missing_model_file_is_named()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ModelLoader.Load("/nonexistent/model.pt"));
        Assert.Contains("/nonexistent/model.pt", error.Message);
    }

    [Theory]
    [InlineData("[100000, 100000]", "[0, 16]", "declares more elements than the file holds")]
    [InlineData("[2, 2]", "[0, 4]", "declares 16 bytes and stores 4")]
    [InlineData("[2, 2]", "[0, 1000]", "claims bytes outside the file")]
    public void A_safetensors_header_that_claims_more_than_its_bytes_is_refused_before_anything_is_allocated(string shape, string offsets, string why)
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "large.safetensors");
        var header = System.Text.Encoding.UTF8.GetBytes($$$"""{"fc.weight": {"dtype": "F32", "shape": {{{shape}}}, "data_offsets": {{{offsets}}}}}""");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)header.Length), .. header, .. new byte[16]]);
        File.WriteAllText(path + ".json", """{"architecture": "fashion-cnn"}""");

        var error = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path));

        Assert.Contains($"model file {path} is not a valid safetensors file", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Theory]
    [InlineData("huge.pt")]
    [InlineData("huge.safetensors")]
    [InlineData("huge.torchscript.pt")]
    public void A_model_file_larger_than_the_cap_is_refused_before_it_is_read(string name)
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), name);
        // Sparse: the length is set, no byte is written, and no disk is used.
        using (var file = new FileStream(path, FileMode.CreateNew)) file.SetLength(ModelFile.MaxBytes + 1);
        File.WriteAllText(path + ".json", """{"architecture": "fashion-cnn"}""");

        var error = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path));

        Assert.Equal($"model file {path} is {ModelFile.MaxBytes + 1} bytes, more than the {ModelFile.MaxBytes} bytes a model file may hold", error.Message);
    }

    [Fact]
    public void Built_in_weights_larger_than_the_cap_are_refused_before_they_are_read()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "fashion-cnn.safetensors");
        using (var file = new FileStream(path, FileMode.CreateNew)) file.SetLength(ModelFile.MaxBytes + 1);

        var error = Assert.Throws<InvalidDataException>(() => ModelLoader.LoadBuiltIn(path));

        Assert.Contains($"is {ModelFile.MaxBytes + 1} bytes, more than the {ModelFile.MaxBytes}", error.Message);
    }

    [Theory]
    [InlineData("corrupt.pt")]
    [InlineData("corrupt.safetensors")]
    public void A_corrupt_model_file_is_named(string name)
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), name);
        File.WriteAllBytes(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 251)).ToArray());
        File.WriteAllText(path + ".json", """{"architecture": "fashion-cnn"}""");

        var error = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void An_unknown_architecture_is_named()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "weights.safetensors");
        using (var network = new FashionCnn()) network.save_safetensors(path);

        var error = Assert.Throws<ArgumentException>(() => ModelLoader.Load(path, new ModelMetadata { Architecture = "vgg99" }));
        Assert.Contains("'vgg99'", error.Message);
    }
}
