using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

/// <summary>The <c>metric_tolerance</c> key: deletion and insertion to a stated AUC error instead of every step.</summary>
public class MetricToleranceSpecTests
{
    const string Head = "name: n\ndata: fashion-mnist:test\nmethods: {gradient: {}}\n";

    static SweepSpec Parse(string text) => SweepSpec.Parse(text, "spec.yaml");

    static SweepSpecException Rejected(string text, int line, string field)
    {
        var error = Assert.Throws<SweepSpecException>(() => Parse(text));
        Assert.Equal((line, field), (error.Line, error.Field));
        return error;
    }

    [Fact]
    public void A_tolerance_scores_one_row_steps_to_that_auc_error()
    {
        var spec = Parse(Head + "metric_tolerance: 0.005\n");

        Assert.Equal(0.005, spec.MetricTolerance);
        Assert.Equal(0.005, spec.MetricStep!.Tolerance);
        Assert.Equal(28, Saliency.Attribution.Metrics.MetricStep.Resolve(spec.MetricStep, 28, 28));
    }

    [Fact]
    public void Without_a_tolerance_every_step_is_scored() => Assert.Null(Parse(Head).MetricTolerance);

    [Fact]
    public void A_tolerance_and_a_step_together_are_an_error_naming_both()
    {
        var error = Rejected(Head + "metric_step: 0.01\nmetric_tolerance: 0.005\n", 5, "metric_tolerance");

        Assert.Contains("metric_step and metric_tolerance are both given", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("-0.005")]
    [InlineData("fine")]
    public void A_tolerance_that_is_not_between_zero_and_one_is_rejected(string text) =>
        Assert.Contains("strictly between 0 and 1", Rejected(Head + $"metric_tolerance: {text}\n", 4, "metric_tolerance").Message);

    [Fact]
    public void A_tolerance_allows_a_proxy_unless_metric_proxy_says_none()
    {
        Assert.True(Parse(Head + "metric_tolerance: 0.005\n").MetricStep!.Proxy);
        Assert.True(Parse(Head + "metric_tolerance: 0.005\nmetric_proxy: auto\n").MetricStep!.Proxy);
        Assert.False(Parse(Head + "metric_tolerance: 0.005\nmetric_proxy: none\n").MetricStep!.Proxy);
    }

    [Fact]
    public void A_proxy_without_a_tolerance_is_an_error_naming_both()
    {
        var error = Rejected(Head + "metric_proxy: auto\n", 4, "metric_proxy");

        Assert.Contains("metric_proxy is given without metric_tolerance", error.Message);
    }

    [Fact]
    public void A_proxy_that_is_neither_auto_nor_none_is_rejected_naming_the_value() =>
        Assert.Contains("'bfloat8' is neither auto nor none", Rejected(Head + "metric_tolerance: 0.005\nmetric_proxy: bfloat8\n", 5, "metric_proxy").Message);
}
