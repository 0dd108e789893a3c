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

    [Fact]
    public void A_tolerance_allows_a_proxy_unless_metric_proxy_says_none()
    {
        var none = new AttributeSettings { Metrics = "deletion", MetricTolerance = "0.005", MetricProxy = "none" }.Judging(ScoreKind.Logit);
        var auto = new AttributeSettings { Metrics = "deletion", MetricTolerance = "0.005" }.Judging(ScoreKind.Logit);

        Assert.Equal((false, true), (none.MetricStep!.Proxy, auto.MetricStep!.Proxy));
    }

    [Fact]
    public void A_proxy_without_a_tolerance_is_refused_naming_both()
    {
        var settings = new AttributeSettings { Metrics = "deletion", MetricProxy = "none" };

        var error = Assert.Throws<ArgumentException>(() => settings.Judging(ScoreKind.Logit));
        Assert.Contains("--metric-proxy is given without --metric-tolerance", error.Message);
    }
}
