using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sanity;

namespace Saliency.Attribution.Tests;

/// <summary>The sanity checks on the shipped model: the gradient depends on the model, the edge control does not.</summary>
public class SanityCheckTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    static readonly string[] Both = [SanityChecks.ModelRandomisationName, SanityChecks.RandomLogitName];

    (IReadOnlyList<SanityOutcome> Outcomes, IReadOnlyList<string> Layers) Check(IAttributionMethod method)
    {
        var images = TestData.FirstTestImages(12);
        var original = method.Attribute(shipped.Model, images, Target.Predicted);
        var outcomes = SanityChecks.Run(Both, method, shipped.Model, () => ModelLoader.Load(FashionCnn.BuiltInName), images, original, seed: 3, out var layers);
        return (outcomes, layers);
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
        var (outcomes, layers) = Check(new VanillaGradient());

        Assert.Equal(4, layers.Count);
        var full = outcomes.Average(o => o.ModelRandomisation![^1]);
        Assert.True(full < SanityChecks.PassBelow, $"mean ρ {full} with every layer randomised");
        var logit = outcomes.Average(o => o.RandomLogit!.Value);
        Assert.True(logit < SanityChecks.PassBelow, $"mean ρ {logit} for a random other class");
    }

    [Fact]
    public void Each_step_alone_on_a_fresh_copy_gives_what_the_cascade_gives_at_that_step_and_none_past_the_last()
    {
        var method = new VanillaGradient();
        var images = TestData.FirstTestImages(6);
        var original = method.Attribute(shipped.Model, images, Target.Predicted);
        var cascade = SanityChecks.Run([SanityChecks.ModelRandomisationName], method, shipped.Model, () => ModelLoader.Load(FashionCnn.BuiltInName),
            images, original, seed: 3, out var layers);

        for (var step = 1; step <= layers.Count; step++)
        {
            var alone = SanityChecks.RandomisationStep(method, () => ModelLoader.Load(FashionCnn.BuiltInName), images, original, seed: 3, step, out var named)!;
            Assert.Equal(layers, named);
            Assert.Equal(cascade.Select(o => o.ModelRandomisation![step - 1]), alone, (a, b) => Math.Abs(a - b) < 1e-12);
        }
        Assert.Null(SanityChecks.RandomisationStep(method, () => ModelLoader.Load(FashionCnn.BuiltInName), images, original, seed: 3, layers.Count + 1, out _));
    }

    [Fact]
    public void The_edge_control_fails_both_checks_with_its_maps_unchanged()
    {
        var (outcomes, _) = Check(new EdgeMap());

        Assert.All(outcomes, o => Assert.All(o.ModelRandomisation!, rho => Assert.Equal(1, rho, 9)));
        Assert.All(outcomes, o => Assert.Equal(1, o.RandomLogit!.Value, 9));
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
