using Saliency.Attribution.Methods;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

public class ReferenceMethodTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    [Fact]
    public void The_vanilla_gradient_of_a_linear_model_is_the_magnitude_of_its_weights()
    {
        var (model, weights) = SyntheticModels.Linear(classes: 3, seed: 2);
        var results = new VanillaGradient().Attribute(model, TestData.FirstTestImages(2), Target.Class(2));
        var expected = weights[2].abs().data<float>().ToArray();
        Assert.All(results, r => Assert.Equal(expected, r.Map, (a, b) => Math.Abs(a - b) < 1e-6f));
    }

    [Fact]
    public void Gradient_times_input_of_a_linear_model_is_weights_times_pixels()
    {
        var (model, weights) = SyntheticModels.Linear(classes: 3, seed: 2);
        var images = TestData.FirstTestImages(2);
        var results = new GradientTimesInput().Attribute(model, images, Target.Class(1));
        for (var i = 0; i < images.Count; i++)
        {
            var pixels = images.Image(i).ToArray();
            var expected = weights[1].data<float>().ToArray().Select((w, p) => w * pixels[p]).ToArray();
            Assert.Equal(expected, results[i].Map, (a, b) => Math.Abs(a - b) < 1e-6f);
        }
    }

    [Fact]
    public void Noise_does_not_move_the_constant_gradient_of_a_linear_model()
    {
        var (model, weights) = SyntheticModels.Linear(classes: 3, seed: 4);
        var images = TestData.FirstTestImages(2);
        var signed = new VanillaGradient(absolute: false);
        var w = weights[0].data<float>().ToArray();

        var smooth = new NoiseTunnel(signed, NoiseAggregation.SmoothGrad, samples: 8, noiseLevel: 0.3).Attribute(model, images, Target.Class(0));
        var squared = new NoiseTunnel(signed, NoiseAggregation.SmoothGradSquared, samples: 8, noiseLevel: 0.3).Attribute(model, images, Target.Class(0));
        var variance = new NoiseTunnel(signed, NoiseAggregation.VarGrad, samples: 8, noiseLevel: 0.3).Attribute(model, images, Target.Class(0));

        Assert.All(smooth, r => Assert.Equal(w, r.Map, (a, b) => Math.Abs(a - b) < 1e-6f));
        Assert.All(squared, r => Assert.Equal(w.Select(v => v * v).ToArray(), r.Map, (a, b) => Math.Abs(a - b) < 1e-6f));
        Assert.All(variance, r => Assert.All(r.Map, v => Assert.True(Math.Abs(v) < 1e-9)));
    }

    [Fact]
    public void SmoothGrad_averages_the_gradients_of_seeded_noisy_copies()
    {
        var images = TestData.FirstTestImages(2);
        var method = new NoiseTunnel(new VanillaGradient(absolute: false), samples: 6, noiseLevel: 0.15, seed: 3);
        var first = method.Attribute(fixture.Model, images, Target.Predicted);
        var again = method.Attribute(fixture.Model, images, Target.Predicted);
        var plain = new VanillaGradient(absolute: false).Attribute(fixture.Model, images, Target.Predicted);

        Assert.Equal(first[0].Map, again[0].Map);
        Assert.NotEqual(plain[0].Map, first[0].Map);
        Assert.Equal(plain[0].Target, first[0].Target);
        Assert.Equal(6, first[0].Steps);
    }

    [Fact]
    public void Grad_cam_on_the_final_features_is_the_class_activation_map()
    {
        var images = TestData.FirstTestImages(4);
        var results = new GradCam(layer: "features.relu3").Attribute(fixture.Model, images, Target.Predicted);

        using var scope = NewDisposeScope();
        var modules = fixture.Model.Network.named_modules().ToDictionary(m => m.name, m => m.module);
        var features = (nn.Module<Tensor, Tensor>)modules["features"];
        var classifier = fixture.Model.Network.named_parameters().Single(p => p.name == "classifier.weight").parameter;
        using var noGrad = no_grad();
        var activations = features.call((images.ToTensor() - 0.2860f) / 0.3530f);
        for (var i = 0; i < images.Count; i++)
        {
            // Score = Σ_c w_c · mean(A_c) + b, so Grad-CAM's weights are w_c / (h·w): CAM scaled by 1/49.
            Assert.True(activations.shape.SequenceEqual(new long[] { 4, 128, 7, 7 }), string.Join("x", activations.shape));
            var cam = nn.functional.relu((classifier[results[i].Target].view(-1, 1, 1) * activations[i]).sum(dim: 0) / 49);
            var expected = nn.functional.interpolate(cam.view(1, 1, 7, 7), new long[] { 28, 28 }, mode: InterpolationMode.Bilinear, align_corners: false);
            Assert.Equal(expected.flatten().data<float>().ToArray(), results[i].Map, (a, b) => Math.Abs(a - b) <= 1e-4f + 1e-4f * Math.Abs(a));
        }
    }

    [Fact]
    public void Grad_cam_defaults_to_the_last_convolution()
    {
        var (name, _) = GradCam.FindLayer(fixture.Model, null);
        Assert.Equal("features.conv3", name);
        var results = new GradCam().Attribute(fixture.Model, TestData.FirstTestImages(2), Target.Predicted);
        Assert.All(results, r => Assert.All(r.Map, v => Assert.True(v >= 0)));
    }

    [Fact]
    public void An_unknown_grad_cam_layer_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => new GradCam("features.conv9").Attribute(fixture.Model, TestData.FirstTestImages(1), Target.Predicted));
        Assert.Contains("'features.conv9'", error.Message);
    }

    [Fact]
    public void The_random_map_is_seeded_per_image()
    {
        var method = new RandomMap(seed: 1);
        var together = method.Attribute(fixture.Model, TestData.FashionTest.Select(new[] { 1, 2 }), Target.Predicted);
        var alone = method.Attribute(fixture.Model, TestData.FashionTest.Select(new[] { 2 }), Target.Predicted);
        Assert.Equal(together[1].Map, alone[0].Map);
        Assert.NotEqual(together[0].Map, together[1].Map);
        Assert.All(together[0].Map, v => Assert.InRange(v, 0f, 1f));
    }
}
