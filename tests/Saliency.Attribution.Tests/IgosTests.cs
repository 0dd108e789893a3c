using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;

namespace Saliency.Attribution.Tests;

public class IgosTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    [Fact]
    public void On_a_model_that_reads_one_region_the_mask_deletes_that_region()
    {
        var model = SyntheticModels.RegionMean(8, 15, 12);
        var images = TestData.FashionTest.Select(new[] { 0, 1 });
        var method = new Igos(new IgosOptions { Baseline = Substrate.Parse("black"), MaskSize = 7, TotalVariation = 1 });

        var results = method.Attribute(model, images, Target.Class(0));

        foreach (var result in results)
        {
            var inside = result.Map.Where((_, p) => p / 28 is >= 8 and <= 15 && p % 28 is >= 8 and <= 15).Average();
            var outside = result.Map.Where((_, p) => !(p / 28 is >= 4 and <= 19 && p % 28 is >= 4 and <= 19)).Average();
            Assert.True(inside > outside + 0.2, $"image {result.Key}: saliency inside {inside:F3}, outside {outside:F3}");
        }
    }

    [Fact]
    public void The_objective_never_rises_across_accepted_steps()
    {
        var trace = new Igos().Trace(fixture.Model, TestData.FashionTest.Select(new[] { 3 }), Target.Predicted);

        Assert.Equal(15, trace.Steps.Count);
        Assert.All(trace.Steps, step => Assert.True(step.After <= step.Before, $"objective rose: {step.Before} -> {step.After}"));
        Assert.Contains(trace.Steps, step => step.StepSize > 0);
        Assert.True(trace.Steps[^1].After < trace.Steps[0].Before);
        Assert.All(trace.Mask, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(3, trace.MaskSize);
    }

    [Fact]
    public void The_map_is_one_minus_the_mask_shaped_like_the_input()
    {
        var results = new Igos(new IgosOptions { Iterations = 3 }).Attribute(fixture.Model, TestData.FirstTestImages(2), Target.Predicted);
        Assert.All(results, r =>
        {
            Assert.Equal(784, r.Map.Length);
            Assert.All(r.Map, v => Assert.InRange(v, 0f, 1f));
            Assert.Contains(r.Map, v => v > 0);
        });
    }

    [Fact]
    public void Zero_iterations_are_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Igos(new IgosOptions { Iterations = 0 }).Attribute(fixture.Model, TestData.FirstTestImages(1), Target.Predicted));
        Assert.Contains("got 0", error.Message);
    }
}
