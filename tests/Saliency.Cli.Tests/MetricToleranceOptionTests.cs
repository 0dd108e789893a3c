using Saliency.Attribution.Methods;
using Saliency.Cli.Commands;

namespace Saliency.Cli.Tests;

/// <summary><c>attribute --metric-tolerance</c>: deletion and insertion to an AUC error, or at every step, not both.</summary>
[Trait("Lane", "Unit")]
public class MetricToleranceOptionTests
{
    [Fact]
    public void A_tolerance_gives_deletion_and_insertion_that_tolerance()
    {
        var judging = new AttributeSettings { Metrics = "deletion,insertion", MetricTolerance = "0.005" }.Judging(ScoreKind.Logit);

        Assert.Equal(0.005, judging.MetricStep?.Tolerance);
    }

    [Fact]
    public void A_step_and_a_tolerance_together_are_refused_naming_both()
    {
        var settings = new AttributeSettings { Metrics = "deletion", MetricStep = "0.01", MetricTolerance = "0.005" };

        var error = Assert.Throws<ArgumentException>(() => settings.Judging(ScoreKind.Logit));
        Assert.Contains("--metric-step and --metric-tolerance are both given", error.Message);
    }
}
