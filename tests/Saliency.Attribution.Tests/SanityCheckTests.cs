using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sanity;

namespace Saliency.Attribution.Tests;

/// <summary>The sanity checks on the shipped model: the gradient depends on the model, the edge control does not.</summary>
public class SanityCheckTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    static ImageClassifier Copy() => ModelLoader.Load(FashionCnn.BuiltInName);

    /// <summary>Every step of the cascade, each as a work item computes it, and the random-logit check.</summary>
    (double[][] Cascade, double[] RandomLogit, int Steps) Check(IAttributionMethod method)
    {
        var images = TestData.FirstTestImages(12);
        var original = method.Attribute(shipped.Model, images, Target.Predicted);
        var steps = ModelRandomisation.Layers(shipped.Model.Network);
        var cascade = Enumerable.Range(1, steps.Count)
            .Select(step => SanityChecks.RandomisationStep(method, Copy, steps, images, original, seed: 3, step)).ToArray();
        return (cascade, SanityChecks.RandomLogit(method, shipped.Model, images, original, seed: 3), steps.Count);
    }

    [Fact]
    public void The_cascade_runs_from_the_classifier_down_through_the_three_convolutions()
    {
        using var copy = ModelLoader.Load(FashionCnn.BuiltInName);
        var steps = ModelRandomisation.Layers(copy.Network).Select(ModelRandomisation.NameOf).ToList();

        Assert.Equal(["classifier", "features.conv3+features.bn3", "features.conv2+features.bn2", "features.conv1+features.bn1"], steps);
    }

    [Fact]
    public void The_gradient_passes_model_randomisation_and_random_logit()
    {
        var (cascade, randomLogit, steps) = Check(new VanillaGradient());

        Assert.Equal(4, steps);
        var full = cascade[^1].Average();
        Assert.True(full < SanityChecks.PassBelow, $"mean ρ {full} with every layer randomised");
        var logit = randomLogit.Average();
        Assert.True(logit < SanityChecks.PassBelow, $"mean ρ {logit} for a random other class");
    }

    [Fact]
    public void Each_step_alone_on_a_fresh_copy_gives_what_the_cascade_drawn_step_after_step_on_one_copy_gives()
    {
        var method = new VanillaGradient();
        var images = TestData.FirstTestImages(6);
        var original = method.Attribute(shipped.Model, images, Target.Predicted);
        var steps = ModelRandomisation.Layers(shipped.Model.Network);

        using var sequential = Copy();
        for (var step = 1; step <= steps.Count; step++)
        {
            ModelRandomisation.Randomise(sequential.Network, steps[step - 1], 3 + step - 1);
            var maps = method.Attribute(sequential, images, Target.PerImage(original.Select(a => a.Target).ToArray()));
            var expected = original.Select((a, i) => SanityChecks.RankCorrelation(a.Map, maps[i].Map));
            var alone = SanityChecks.RandomisationStep(method, Copy, steps, images, original, seed: 3, step);
            Assert.Equal(expected, alone, (a, b) => Math.Abs(a - b) < 1e-12);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => SanityChecks.RandomisationStep(method, Copy, steps, images, original, seed: 3, steps.Count + 1));
    }

    [Fact]
    public void The_edge_control_fails_both_checks_with_its_maps_unchanged()
    {
        var (cascade, randomLogit, _) = Check(new EdgeMap());

        Assert.All(cascade, step => Assert.All(step, rho => Assert.Equal(1, rho, 9)));
        Assert.All(randomLogit, rho => Assert.Equal(1, rho, 9));
    }

    [Fact]
    public void Randomising_a_layer_redraws_its_weights_at_their_own_scale_and_leaves_the_others()
    {
        using var copy = ModelLoader.Load(FashionCnn.BuiltInName);
        var before = copy.Network.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        ModelRandomisation.Randomise(copy.Network, ["classifier.weight"], seed: 1);

        foreach (var (name, parameter) in copy.Network.named_parameters())
        {
            var old = before[name];
            if (name != "classifier.weight")
            {
                Assert.True(parameter.allclose(old), $"{name} changed");
                continue;
            }
            Assert.False(parameter.allclose(old));
            Assert.InRange(parameter.std().item<float>() / old.std().item<float>(), 0.95, 1.05);
        }
    }
}
