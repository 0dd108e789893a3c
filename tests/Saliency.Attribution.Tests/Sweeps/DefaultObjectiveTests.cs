using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

public class DefaultObjectiveTests
{
    [Theory]
    [InlineData("[deletion, insertion, completeness]", "insertion-deletion")]
    [InlineData("[deletion]", "deletion")]
    [InlineData("[insertion, completeness]", "insertion")]
    [InlineData("[completeness]", "delta")]
    public void A_spec_without_an_objective_ranks_by_what_its_metrics_measure(string metrics, string objective) =>
        Assert.Equal(objective, SweepSpec.Parse($"name: n\ndata: fashion-mnist:test\nmethods: {{gradient: {{}}}}\nmetrics: {metrics}\n", "s.yaml").Objective.Name);

    [Fact]
    public void A_named_objective_whose_metric_is_not_measured_is_still_refused()
    {
        var error = Assert.Throws<SweepSpecException>(() =>
            SweepSpec.Parse("name: n\ndata: fashion-mnist:test\nmethods: {gradient: {}}\nmetrics: [deletion]\nobjective: insertion\n", "s.yaml"));
        Assert.Contains("needs metric 'insertion'", error.Message);
    }
}
