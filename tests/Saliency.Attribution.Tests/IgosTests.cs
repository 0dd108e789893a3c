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
    public void Failed_smallest_steps_are_taken_by_default_as_in_the_reference() => Assert.True(new IgosOptions().TakeFailedSteps);

    [Fact]
    public void A_mask_that_no_step_improves_still_moves_when_failed_steps_are_taken()
    {
        // An Armijo constant no step can satisfy: the sufficient decrease it asks for is 1e30·‖d‖², so every step fails on
        // any CPU, however it rounds. Steps from 200 shrink by 0.2 to below the minimum of 1, so the failed step taken is 0.32.
        var unreachable = new IgosOptions { ArmijoConstant = 1e30, MinimumStep = 1, Iterations = 3 };
        var image = TestData.FashionTest.Select(new[] { 3 });
        var stuck = new Igos(unreachable with { TakeFailedSteps = false }).Trace(fixture.Model, image, Target.Predicted);
        var moving = new Igos(unreachable).Trace(fixture.Model, image, Target.Predicted);

        Assert.All(stuck.Steps, step => Assert.Equal((0.0, false), (step.StepSize, step.Passed)));
        Assert.All(stuck.Mask, v => Assert.Equal(1f, v));
        Assert.Equal(28, moving.MaskSize);
        Assert.All(moving.Steps, step =>
        {
            Assert.False(step.Passed);
            Assert.Equal(0.32, step.StepSize, 1e-9);
        });
        Assert.Contains(moving.Mask, v => v < 1f);
    }

    [Fact]
    public void Without_failed_steps_the_objective_never_rises_across_steps()
    {
        // What the line search guarantees, on the trained model, whichever steps pass on this CPU.
        var trace = new Igos(new IgosOptions { TakeFailedSteps = false, MaskSize = 3 }).Trace(fixture.Model, TestData.FashionTest.Select(new[] { 3 }), Target.Predicted);

        Assert.Equal(15, trace.Steps.Count);
        Assert.All(trace.Steps, step => Assert.True(step.After <= step.Before, $"objective rose: {step.Before} -> {step.After}"));
        Assert.All(trace.Steps, step => Assert.Equal(step.StepSize > 0, step.Passed));
        Assert.All(trace.Mask, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(3, trace.MaskSize);
    }

    [Fact]
    public void Where_the_score_falls_steeply_steps_pass_and_the_objective_falls()
    {
        // A model that reads one region with a large gain: deleting it lowers the score far more than the Armijo test asks.
        var model = SyntheticModels.RegionMean(8, 15, 12);
        var trace = new Igos(new IgosOptions { TakeFailedSteps = false, MaskSize = 3, Baseline = Substrate.Parse("black") })
            .Trace(model, TestData.FashionTest.Select(new[] { 0 }), Target.Class(0));

        Assert.Contains(trace.Steps, step => step.Passed && step.StepSize > 0);
        Assert.True(trace.Steps[^1].After < trace.Steps[0].Before, $"objective {trace.Steps[0].Before} -> {trace.Steps[^1].After}");
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

    [Theory]
    [InlineData(28, 28, 28)]
    [InlineData(224, 224, 28)]
    [InlineData(16, 20, 16)]
    [InlineData(300, 400, 28)]
    public void The_default_mask_has_the_references_28_cells_or_the_shorter_side_when_smaller(int height, int width, int expected) =>
        Assert.Equal(expected, new IgosOptions().ResolveMaskSize(height, width));

    [Fact]
    public void A_given_mask_size_wins_over_the_default() => Assert.Equal(7, new IgosOptions { MaskSize = 7 }.ResolveMaskSize(28, 28));

    [Fact]
    public void Zero_iterations_are_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Igos(new IgosOptions { Iterations = 0 }).Attribute(fixture.Model, TestData.FirstTestImages(1), Target.Predicted));
        Assert.Contains("got 0", error.Message);
    }
}

public class IgosL1RelaxationTests
{
    // Scores at the start of iterations 0..7; the score moves only after the step of iteration 6.
    static readonly double[] Scores = { 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.2 };

    [Fact]
    public void At_mid_run_the_l1_coefficient_is_relaxed_by_the_score_at_the_start_of_the_previous_iteration()
    {
        // Iteration 7 of 15 compares the first score with the start of iteration 6, as the reference's curve does.
        Assert.Equal(0.1, Igos.RelaxedL1(1, 15, 7, Scores), 12);
        Assert.Equal(1, Igos.RelaxedL1(1, 15, 7, Scores.Select((s, i) => i == 6 ? 0.5 : s).ToArray()));
    }

    [Fact]
    public void Late_in_the_run_the_l1_coefficient_is_divided_by_five_when_the_score_moved_less_than_a_hundredth()
    {
        var flat = Enumerable.Repeat(0.9, 13).ToArray();
        Assert.Equal(0.2, Igos.RelaxedL1(1, 15, 12, flat), 12);
        Assert.Equal(1, Igos.RelaxedL1(1, 15, 12, flat.Select((s, i) => i == 11 ? 0.8 : s).ToArray()));
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(15, 6)]
    [InlineData(15, 8)]
    public void Other_iterations_and_runs_of_three_or_fewer_keep_the_coefficient(int iterations, int iteration)
    {
        var flat = Enumerable.Repeat(0.9, iteration + 1).ToArray();
        Assert.Equal(1, Igos.RelaxedL1(1, iterations, iteration, flat));
    }
}
