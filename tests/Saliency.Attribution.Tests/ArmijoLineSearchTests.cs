using Saliency.Attribution.Methods;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

public class ArmijoLineSearchTests
{
    static readonly ArmijoLineSearch LineSearch = new(200, 0.2, 1e-4, 1e-5);

    static (double, int) Never(Tensor candidate) => (double.PositiveInfinity, 0);

    [Fact]
    public void The_first_step_that_passes_is_taken()
    {
        using var scope = NewDisposeScope();
        var point = full(4, 0.5);
        var direction = full(4, 0.01);

        // Steps of 200, 40 and 8 take the point below 0.45 and fail; 1.6 is the first to pass.
        var step = LineSearch.Search(point, direction, 1.0, candidate => (candidate.mean().item<float>() < 0.45 ? 2.0 : 0.5, 0));

        Assert.NotNull(step);
        Assert.True(step.Passed);
        Assert.Equal(1.6, step.Size, 9);
    }

    [Fact]
    public void When_every_step_fails_none_is_taken_by_default()
    {
        using var scope = NewDisposeScope();
        Assert.Null(LineSearch.Search(full(4, 0.5), full(4, 0.01), 1.0, Never));
    }

    [Fact]
    public void With_failed_steps_taken_the_first_step_below_the_minimum_is_taken_as_the_reference_does()
    {
        using var scope = NewDisposeScope();
        var tried = new List<double>();
        var search = LineSearch with { TakeFailedSteps = true };

        var step = search.Search(full(4, 0.5), full(4, 0.01), 1.0, candidate =>
        {
            tried.Add(0.5 - candidate[0].item<float>());
            return Never(candidate);
        });

        Assert.NotNull(step);
        Assert.False(step.Passed);
        // 200 · 0.2^11 = 4.096e-6: the reference's loop breaks only once its step is below 1e-5.
        Assert.Equal(200 * Math.Pow(0.2, 11), step.Size, 12);
        Assert.Equal(12, tried.Count);
        Assert.True(step.Point.allclose(full(4, 0.5) - step.Size * 0.01));
    }
}
