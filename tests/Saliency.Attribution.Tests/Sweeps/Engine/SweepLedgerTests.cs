using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;

namespace Saliency.Attribution.Tests.Sweeps.Engine;

/// <summary>The sweep engine's ledger of what is done: each image of a (trial, shard) counted once, whole or in parts.</summary>
[Trait("Lane", "Unit")]
public sealed class SweepLedgerTests
{
    // 2 trials × 3 shards of 8 over 20 images: shard 2 holds positions 16-19.
    const string Spec = """
        name: ledger
        model: fashion-cnn
        data: fashion-mnist:test:0-19
        methods: { ig: { steps: [8, 16] } }
        shard: 8

        """;

    static readonly SweepPlan Plan = new(SweepSpec.Parse(Spec, "ledger.yaml"), 20);

    static ShardOutcome Outcome(int trial, int shard, int start, int count, bool whole = false)
    {
        var images = Enumerable.Range(start, count).Select(key => TestOutcomes.Image(key, 0, 0, 1, null, 0, null, null, null, null, 8, 0.1)).ToArray();
        return new ShardOutcome(trial, shard, images, [], 0.1 * count, [], whole ? null : start, whole ? null : count);
    }

    static SweepLedger Ledger() => new(Plan, []);

    // The same with the model-randomisation check: each step of the cascade is a part of its own.
    static readonly SweepPlan Checked = new(SweepSpec.Parse(Spec + "sanity: [model-randomisation]\n", "ledger.yaml"), 20);

    [Fact]
    public void With_model_randomisation_every_cascade_step_of_every_trial_and_shard_is_one_item_of_its_own()
    {
        Assert.Equal(1 + Saliency.Attribution.Sanity.ModelRandomisation.MaximumSteps, Checked.PartCount);
        Assert.Equal(2 * 3 * Checked.PartCount, Checked.WorkItemCount);
        var keys = Enumerable.Range(0, Checked.WorkItemCount).Select(position => Checked.KeyAt(position)).ToList();
        Assert.Equal(Enumerable.Range(0, Checked.WorkItemCount).Select(k => (long)k), keys.Order());
        foreach (var key in keys) Assert.Equal(key, Checked.KeyOf(Checked.Item(key)));
        // Shard by shard, each trial's own work before the steps of its cascade.
        Assert.Equal([(0, 0, 0), (1, 0, 0), (0, 0, 1), (1, 0, 1)], keys.Take(4).Select(k => (Checked.TrialOf(k), (int)(k % 3), Checked.PartOf(k))));
        Assert.Equal(1, Plan.PartCount);
    }

    [Fact]
    public void A_cascade_step_completes_its_own_item_without_counting_its_images_again_and_the_last_step_gives_the_trials_figure()
    {
        var ledger = new SweepLedger(Checked, []);
        ShardOutcome Step(int step, double rho) => new(1, 2, Enumerable.Range(16, 4)
            .Select(key => TestOutcomes.Image(key, 0, 0, 1, null, 0, null, null, null, null, 8, 0.1, modelRandomisation: [rho])).ToArray(),
            [], 0.4, [], 16, 4, RandomisedLayers: ["classifier", "conv"], Part: step);

        Assert.Equal(LedgerEntry.Complete, ledger.Add(Outcome(1, 2, 16, 4)));
        Assert.Equal(LedgerEntry.Complete, ledger.Add(Step(1, 0.9)));
        Assert.Equal(LedgerEntry.Duplicate, ledger.Add(Step(1, 0.9)));
        Assert.Equal(LedgerEntry.Complete, ledger.Add(Step(2, 0.25)));

        Assert.True(ledger.IsDone(Checked.KeyOf(1, 2, 1)) && ledger.IsDone(Checked.KeyOf(1, 2, 2)));
        Assert.Equal((3, 1, 4), (ledger.Done, ledger.ShardsDone(1), ledger.Aggregates[1].Images));
        var figure = ledger.Aggregates[1].Summary().Metric(Saliency.Attribution.Results.MetricNames.ModelRandomisation)!;
        Assert.Equal((4, 0.25), (figure.Count, figure.Mean));
    }

    [Fact]
    public void A_whole_shard_completes_its_item_and_a_second_report_of_it_is_a_duplicate()
    {
        var ledger = Ledger();

        Assert.Equal(LedgerEntry.Complete, ledger.Add(Outcome(1, 2, 16, 4)));
        Assert.Equal(LedgerEntry.Duplicate, ledger.Add(Outcome(1, 2, 16, 4)));
        Assert.Equal(LedgerEntry.Duplicate, ledger.Add(Outcome(1, 2, 16, 4, whole: true)));
        Assert.True(ledger.IsDone(Plan.KeyOf(1, 2)));
        Assert.Equal((1, 1, 4), (ledger.Done, ledger.ShardsDone(1), ledger.Aggregates[1].Images));
    }

    [Fact]
    public void Parts_count_in_order_and_the_rest_of_the_shard_is_the_next_item()
    {
        var ledger = Ledger();
        var key = Plan.KeyOf(0, 1);

        Assert.Equal(new WorkItem(0, 1, 8, 8, 1), ledger.Rest(key));
        Assert.Equal(LedgerEntry.Part, ledger.Add(Outcome(0, 1, 8, 3)));
        Assert.Equal(new WorkItem(0, 1, 11, 5, 1), ledger.Rest(key));
        Assert.False(ledger.IsSettled(key));
        Assert.Equal(LedgerEntry.Complete, ledger.Add(Outcome(0, 1, 11, 5)));
        Assert.Equal((8, 1, 1), (ledger.Aggregates[0].Images, ledger.Aggregates[0].Shards, ledger.ShardsDone(0)));
    }

    [Fact]
    public void A_retry_that_overlaps_what_landed_is_a_duplicate_and_counts_no_image_twice()
    {
        var ledger = Ledger();
        ledger.Add(Outcome(0, 0, 0, 5));

        Assert.False(ledger.Counts(Outcome(0, 0, 0, 8)));
        Assert.Equal(LedgerEntry.Duplicate, ledger.Add(Outcome(0, 0, 0, 8, whole: true)));
        Assert.Equal(LedgerEntry.Duplicate, ledger.Add(Outcome(0, 0, 2, 6)));
        Assert.Equal(5, ledger.Aggregates[0].Images);
        Assert.Equal(LedgerEntry.Complete, ledger.Add(Outcome(0, 0, 5, 3)));
        Assert.Equal(8, ledger.Aggregates[0].Images);
    }

    [Fact]
    public void An_outcome_past_its_shard_is_refused_naming_it()
    {
        var error = Assert.Throws<InvalidDataException>(() => Ledger().Add(Outcome(0, 2, 16, 5)));
        Assert.Contains("trial 0 shard 2", error.Message);
    }

    [Fact]
    public void Replaying_the_accepted_outcomes_rebuilds_the_same_ledger_whatever_was_dropped()
    {
        var arrived = new[] { Outcome(0, 0, 0, 3), Outcome(0, 0, 0, 8), Outcome(1, 2, 16, 4), Outcome(0, 0, 3, 2), Outcome(0, 1, 8, 8, whole: true) };
        var live = Ledger();
        var logged = arrived.Where(o => live.Add(o) != LedgerEntry.Duplicate).ToList();

        var restored = Ledger();
        foreach (var outcome in logged) Assert.NotEqual(LedgerEntry.Duplicate, restored.Add(outcome));

        Assert.Equal(4, logged.Count);
        Assert.Equal((live.Done, live.Aggregates[0].Images, live.Rest(Plan.KeyOf(0, 0))), (restored.Done, restored.Aggregates[0].Images, restored.Rest(Plan.KeyOf(0, 0))));
        Assert.Equal(new WorkItem(0, 0, 5, 3, 1), restored.Rest(Plan.KeyOf(0, 0)));
    }

    [Fact]
    public void A_failed_item_keeps_its_parts_and_is_never_done()
    {
        var ledger = new SweepLedger(Plan, [new FailedWorkItem(1, 0, 3, "boom")]);

        Assert.True(ledger.IsFailed(Plan.KeyOf(1, 0)));
        Assert.False(ledger.Fail(1, 0, 0, "again"));
        Assert.Equal(LedgerEntry.Complete, ledger.Add(Outcome(1, 0, 0, 8)));
        Assert.False(ledger.IsDone(Plan.KeyOf(1, 0)));
        Assert.Equal((0, 1, 1), (ledger.Done, ledger.Failed, ledger.ShardsFailed(1)));
        Assert.Contains("boom", ledger.Aggregates[1].Failure);
    }
}
