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

    [Fact]
    public void A_sweep_with_ground_truth_measures_localisation_and_ranks_by_relevance_mass()
    {
        var spec = SweepSpec.Parse("name: n\ndata: fashion-planted:test:0-9\nmethods: {gradient: {}}\n", "s.yaml");

        Assert.Contains("relevance-mass", spec.Metrics);
        Assert.Contains("pointing-game", spec.Metrics);
        Assert.Equal("relevance-mass", spec.Objective.Name);
        Assert.True(spec.HasGroundTruth);
    }

    [Fact]
    public void A_spec_that_names_its_objective_keeps_it_when_it_has_ground_truth() =>
        Assert.Equal("insertion-deletion",
            SweepSpec.Parse("name: n\ndata: fashion-planted:test:0-9\nmethods: {gradient: {}}\nobjective: insertion-deletion\n", "s.yaml").Objective.Name);
}
