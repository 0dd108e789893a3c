using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

public class IgosPlusPlusTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 20)]
    public void The_gradient_it_descends_is_the_gradient_of_the_objective_its_line_search_compares(double l1, double tv)
    {
        var (model, _) = SyntheticModels.Linear(3, seed: 5);
        model.To(ScalarType.Float64);
        using var scope = NewDisposeScope();
        var image = model.Input(TestData.FashionTest.Select(new[] { 0 }).ToTensor());
        var options = new IgosPlusPlusOptions { IntegrationSteps = 4, L1 = l1, TotalVariation = tv };
        var objective = new IgosPlusPlusObjective(model, image, Substrate.Blur.Create(image, model), target: 1, options);
        var generator = new Generator(3);
        var deletion = (rand(new long[] { 1, 1, 3, 3 }, generator: generator) * 0.6 + 0.2).to(ScalarType.Float64);
        var insertion = (rand(new long[] { 1, 1, 3, 3 }, generator: generator) * 0.6 + 0.2).to(ScalarType.Float64);

        var (gradientD, gradientI) = objective.Gradient(deletion, insertion);

        const double h = 1e-5;
        foreach (var (mask, gradient, other, first) in new[] { (deletion, gradientD, insertion, true), (insertion, gradientI, deletion, false) })
            for (var cell = 0; cell < 9; cell++)
            {
                var step = zeros_like(mask).flatten().index_put_(tensor(h, ScalarType.Float64), cell).view(1, 1, 3, 3);
                double At(Tensor m) => first ? objective.Value(m, other) : objective.Value(other, m);
                var numeric = (At(mask + step) - At(mask - step)) / (2 * h);
                var analytic = gradient.flatten()[cell].item<double>();
                Assert.True(Math.Abs(numeric - analytic) <= 1e-6 * Math.Abs(analytic) + 1e-9,
                    $"{(first ? "deletion" : "insertion")} cell {cell}: autograd {analytic:E6}, finite differences {numeric:E6}");
            }
        Assert.True(cat(new[] { gradientD, gradientI }).abs().max().item<double>() > 1e-4, "the games' gradient vanished");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public void Every_accepted_step_satisfies_the_armijo_condition_so_the_objective_never_rises(int key)
    {
        var options = new IgosPlusPlusOptions();
        var trace = new IgosPlusPlus(options).Trace(fixture.Model, TestData.FashionTest.Select(new[] { key }), Target.Predicted);

        Assert.Equal(15, trace.Steps.Count);
        Assert.All(trace.Steps, step => Assert.True(step.After <= step.Before, $"objective rose: {step.Before} -> {step.After}"));
        Assert.All(trace.Steps.Zip(trace.Steps.Skip(1)), pair => Assert.Equal(pair.First.After, pair.Second.Before));
        Assert.All(trace.Mask, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(28, trace.MaskSize);
    }

    [Fact]
    public void Where_the_score_falls_steeply_steps_pass_and_the_objective_falls()
    {
        // Which steps pass on the trained model depends on how a CPU rounds; on a model that reads one region with a large
        // gain, deleting it lowers the score far more than the Armijo test asks.
        var trace = new IgosPlusPlus(new IgosPlusPlusOptions { MaskSize = 7, Baseline = Substrate.Parse("black") })
            .Trace(SyntheticModels.RegionMean(8, 15, 12), TestData.FashionTest.Select(new[] { 0 }), Target.Class(0));

        Assert.Contains(trace.Steps, step => step.StepSize > 0);
        Assert.True(trace.Steps[^1].After < trace.Steps[0].Before, $"objective {trace.Steps[0].Before} -> {trace.Steps[^1].After}");
    }

    [Fact]
    public void The_map_is_one_minus_the_product_of_the_masks_shaped_like_the_input()
    {
        var results = new IgosPlusPlus(new IgosPlusPlusOptions { Iterations = 3, MaskSize = 7 }).Attribute(fixture.Model, TestData.FirstTestImages(2), Target.Predicted);

        Assert.All(results, r =>
        {
            Assert.Equal(784, r.Map.Length);
            Assert.All(r.Map, v => Assert.InRange(v, 0f, 1f));
            Assert.Contains(r.Map, v => v > 0.01f);
        });
    }

    [Fact]
    public void On_a_model_that_reads_one_region_the_masks_mark_that_region()
    {
        var model = SyntheticModels.RegionMean(8, 15, 12);
        var method = new IgosPlusPlus(new IgosPlusPlusOptions { Baseline = Substrate.Parse("black"), MaskSize = 7, TotalVariation = 1 });

        var results = method.Attribute(model, TestData.FashionTest.Select(new[] { 0, 1 }), Target.Class(0));

        foreach (var result in results)
        {
            var inside = result.Map.Where((_, p) => p / 28 is >= 8 and <= 15 && p % 28 is >= 8 and <= 15).Average();
            var outside = result.Map.Where((_, p) => !(p / 28 is >= 4 and <= 19 && p % 28 is >= 4 and <= 19)).Average();
            Assert.True(inside > outside + 0.2, $"image {result.Key}: saliency inside {inside:F3}, outside {outside:F3}");
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_maps_and_another_seed_other_maps()
    {
        IReadOnlyList<ImageAttribution> Maps(long seed) =>
            new IgosPlusPlus(new IgosPlusPlusOptions { Iterations = 3, MaskSize = 7, Seed = seed }).Attribute(fixture.Model, TestData.FirstTestImages(2), Target.Predicted);

        var (first, again, other) = (Maps(4), Maps(4), Maps(5));

        Assert.Equal(first.Select(r => r.Map), again.Select(r => r.Map));
        Assert.NotEqual(first.Select(r => r.Map), other.Select(r => r.Map));
    }

    [Fact]
    public void Each_map_records_four_integrated_paths_per_iteration()
    {
        var result = new IgosPlusPlus(new IgosPlusPlusOptions { Iterations = 2, IntegrationSteps = 3 }).Attribute(fixture.Model, TestData.FirstTestImages(1), Target.Predicted);

        Assert.Equal(2 * 3 * 4, Assert.Single(result).Steps);
        Assert.Equal(15 * 20 * 4, new IgosPlusPlusOptions().StepsPerImage);
    }

    [Theory]
    [InlineData(0, 20, 1, "iterations must be at least 1, got 0")]
    [InlineData(15, 0, 1, "integration steps must be at least 1, got 0")]
    [InlineData(15, 20, -1, "coefficients must not be negative")]
    public void Invalid_options_are_refused(int iterations, int integrationSteps, double l1, string message)
    {
        var method = new IgosPlusPlus(new IgosPlusPlusOptions { Iterations = iterations, IntegrationSteps = integrationSteps, L1 = l1 });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => method.Attribute(fixture.Model, TestData.FirstTestImages(1), Target.Predicted));
        Assert.Contains(message, error.Message);
    }
}
