using Saliency.Attribution.Metrics;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Results;

public class TrialAggregateTests
{
    static readonly Trial Ig = new(0, "ig", new Dictionary<string, string> { ["baseline"] = "black" });
    static readonly DateTimeOffset Noon = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_outcome_delivered_twice_counts_once()
    {
        var aggregate = new TrialAggregate(Ig);
        var outcome = Shard(0, Image(1, delta: -0.2, deletion: 0.1, insertion: 0.5));

        Assert.True(aggregate.Add(outcome, Noon));
        Assert.False(aggregate.Add(outcome, Noon.AddSeconds(5)));

        var summary = aggregate.Summary();
        Assert.Equal(1, summary.Images);
        Assert.Equal(1, summary.Shards);
        Assert.Equal(2.0, summary.Seconds);
    }

    [Fact]
    public void Shards_in_any_order_give_the_same_statistics()
    {
        var shards = Enumerable.Range(0, 4).Select(shard => Shard(shard, Image(shard, delta: shard - 1.5, deletion: 0.1 * shard, insertion: 0.9 - 0.05 * shard))).ToList();
        var forward = new TrialAggregate(Ig);
        var backward = new TrialAggregate(Ig);
        foreach (var shard in shards) forward.Add(shard, Noon);
        foreach (var shard in Enumerable.Reverse(shards)) backward.Add(shard, Noon);

        Assert.Equal(forward.Summary().Metrics.Keys.Order(), backward.Summary().Metrics.Keys.Order());
        Assert.Superset(new HashSet<string> { DeletionMetric.AucColumn, InsertionMetric.AucColumn, InsertionMetric.MinusDeletionColumn, CompletenessMetric.AbsDeltaColumn },
            forward.Summary().Metrics.Keys.ToHashSet());
        foreach (var metric in forward.Summary().Metrics.Keys)
            Assert.Equal(forward.Summary().Metric(metric)!.Mean, backward.Summary().Metric(metric)!.Mean, 12);
    }

    [Fact]
    public void Objective_abs_delta_and_relative_delta_are_taken_per_image()
    {
        var aggregate = new TrialAggregate(Ig);
        aggregate.Add(Shard(0, Image(1, delta: -0.2, deletion: 0.1, insertion: 0.5), Image(2, delta: 0.4, deletion: null, insertion: 0.7)), Noon);

        var summary = aggregate.Summary();
        Assert.Equal(0.3, summary.Metric(CompletenessMetric.AbsDeltaColumn)!.Mean, 12);
        Assert.Equal(0.4, summary.Metric(InsertionMetric.MinusDeletionColumn)!.Mean, 12);
        Assert.Equal(1, summary.Metric(InsertionMetric.MinusDeletionColumn)!.Count);
        Assert.Equal(1, summary.Metric(DeletionMetric.AucColumn)!.Count);
        Assert.Equal(2, summary.Metric(InsertionMetric.AucColumn)!.Count);
    }

    [Fact]
    public void A_metric_measured_on_no_image_is_absent()
    {
        var aggregate = new TrialAggregate(Ig);
        aggregate.Add(Shard(0, Image(1, delta: null, deletion: null, insertion: null)), Noon);

        var summary = aggregate.Summary();
        Assert.Null(summary.Metric(CompletenessMetric.AbsDeltaColumn));
        Assert.Null(summary.Metric(InsertionMetric.MinusDeletionColumn));
        Assert.NotNull(summary.Metric(MetricNames.Score));
    }

    [Fact]
    public void Images_per_second_run_from_the_first_shard_s_start_to_the_last_arrival()
    {
        var aggregate = new TrialAggregate(Ig);
        // Each shard took 2 s: the first started at noon, the last arrived 8 s after noon.
        aggregate.Add(Shard(0, Image(1, 0.1, 0.1, 0.5), Image(2, 0.1, 0.1, 0.5)), Noon.AddSeconds(2));
        aggregate.Add(Shard(1, Image(3, 0.1, 0.1, 0.5), Image(4, 0.1, 0.1, 0.5)), Noon.AddSeconds(8));

        Assert.Equal(4 / 8.0, aggregate.Summary().ImagesPerSecond, 12);
    }

    [Fact]
    public void A_summary_round_trips_through_json()
    {
        var aggregate = new TrialAggregate(Ig);
        aggregate.Add(Shard(0, Image(1, -0.2, 0.1, 0.5), Image(2, 0.4, 0.3, 0.7)), Noon);
        aggregate.Fail("out of memory");
        var summary = aggregate.Summary();

        var read = System.Text.Json.JsonSerializer.Deserialize<TrialSummary>(System.Text.Json.JsonSerializer.Serialize(summary))!;

        Assert.Equal(summary.Trial.Label, read.Trial.Label);
        Assert.Equal((summary.Images, summary.Shards, summary.Seconds, summary.Failure), (read.Images, read.Shards, read.Seconds, read.Failure));
        Assert.Equal(summary.Metrics.OrderBy(m => m.Key), read.Metrics.OrderBy(m => m.Key));
    }

    [Fact]
    public void An_outcome_of_another_trial_is_refused() =>
        Assert.Throws<ArgumentException>(() => new TrialAggregate(Ig).Add(new ShardOutcome(5, 0, Array.Empty<ImageOutcome>(), Array.Empty<SampledMap>(), 1)));

    [Fact]
    public void Objectives_rank_best_first_and_trials_without_a_value_last()
    {
        var summaries = SyntheticSweep.Trials.Select(trial =>
        {
            var aggregate = new TrialAggregate(trial);
            foreach (var outcome in SyntheticSweep.Outcomes().Where(o => o.Trial == trial.Index)) aggregate.Add(outcome, Noon);
            return aggregate.Summary();
        }).ToList();

        Assert.Equal("ig baseline=blur steps=64", SweepObjective.Parse("insertion-deletion").Rank(summaries)[0].Trial.Label);
        Assert.Equal("ig baseline=blur steps=64", SweepObjective.Parse("deletion").Rank(summaries)[0].Trial.Label);
        var byDelta = SweepObjective.Parse("delta").Rank(summaries);
        Assert.Equal("ig baseline=blur steps=64", byDelta[0].Trial.Label);
        Assert.Equal("gradcam", byDelta[^1].Trial.Method);
    }

    [Fact]
    public void The_cost_per_image_is_the_median_over_work_items_so_a_warm_up_on_the_first_does_not_weigh()
    {
        var aggregate = new TrialAggregate(Ig);
        // The first work item a worker computes pays for its first passes: four times the others' seconds per image.
        foreach (var (shard, seconds) in new[] { (0, 0.4), (1, 0.1), (2, 0.1), (3, 0.12), (4, 0.1) })
            aggregate.Add(Shard(shard, Image(2 * shard, null, null, null) with { Seconds = seconds }, Image(2 * shard + 1, null, null, null) with { Seconds = seconds }), Noon);

        var summary = aggregate.Summary();

        Assert.Equal(0.1, SweepVerdict.CostOf(summary)!.Value, 12);
        Assert.Equal(0.164, summary.MethodSeconds!.Value / summary.Images, 12);
    }

    static ShardOutcome Shard(int shard, params ImageOutcome[] images) =>
        new(Ig.Index, shard, images, Array.Empty<SampledMap>(), Seconds: 2);

    static ImageOutcome Image(int key, double? delta, double? deletion, double? insertion) =>
        TestOutcomes.Image(key, 0, 0, score: 2 + key, baselineScore: 0.5, attributionSum: 1.5, delta, delta is { } d ? Math.Abs(d) / 1.5 : null, deletion, insertion, steps: 16, seconds: 0.1);
}
