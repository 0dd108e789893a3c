using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;

namespace Saliency.Attribution.Tests.Sweeps.Engine;

/// <summary>
/// The sweep engine as a runtime sees it: events in (a worker asks for work, a result or a failure comes back, time
/// passes), decisions out (these items, record or drop, retry or give up, go on or stop). No cluster, file or clock.
/// The paired rule that decides a stop is tested alone in <see cref="HalvingScheduleTests"/>.
/// </summary>
[Trait("Lane", "Unit")]
public sealed class SweepEngineTests
{
    // 3 trials × 5 shards of 8 over 40 images; rungs of 1, 3 and 5 shards (8, 24 and 40 images).
    static readonly SweepPlan Halving = new(SweepSpec.Parse("""
        name: halving
        model: fashion-cnn
        data: fashion-mnist:test:0-39
        methods: { ig: { steps: [8, 16, 32] } }
        metrics: [deletion, insertion]
        shard: 8
        schedule: { kind: halving, min_images: 8, reduction: 3 }

        """, "halving.yaml"), 40);

    // 2 trials × 3 shards of 8 over 20 images, a grid.
    static readonly SweepPlan Grid = new(SweepSpec.Parse("""
        name: grid
        model: fashion-cnn
        data: fashion-mnist:test:0-19
        methods: { ig: { steps: [8, 16] } }
        shard: 8

        """, "grid.yaml"), 20);

    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    static readonly DateTime Noon = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    static SweepEngine Engine(SweepPlan plan, IEnumerable<RungDecision>? decided = null) => new(plan, maxAttempts: 3, Timeout, decided);

    /// <summary>Insertion − deletion: trial 0 best on every image, trial 1 0.3 behind it, trial 2 level with it but noisy.</summary>
    static double Value(int trial, int key) => trial switch
    {
        0 => 0.6 + 0.01 * (key % 5),
        1 => 0.3 + 0.01 * (key % 5),
        _ => 0.6 + 0.01 * (key % 5) + (key % 2 == 0 ? 0.05 : -0.05),
    };

    static ShardOutcome Outcome(WorkItem item) => new(item.Trial, item.Shard, Enumerable.Range(item.Start, item.Count)
        .Select(key => TestOutcomes.Image(key, 0, 0, 1, null, 0, null, null, deletionAuc: 0.1, insertionAuc: 0.1 + Value(item.Trial, key), 8, 0.01))
        .ToArray(), [], 0.1);

    /// <summary>A result lands and, as the engine asks, is recorded: the rung decisions it led to.</summary>
    static IReadOnlyList<RungDecision> Land(SweepEngine engine, WorkItem item)
    {
        var outcome = Outcome(item);
        Assert.Equal(ResultDecision.Record, engine.OnResult(item, outcome));
        return engine.Recorded(outcome);
    }

    static IReadOnlyList<WorkItem> Next(SweepEngine engine, string worker = "w", int count = 100) => engine.Next(worker, count, workers: 2, Noon);

    [Fact]
    public void Next_gives_each_trial_its_first_rung_alone_until_it_is_judged()
    {
        var engine = Engine(Halving);

        Assert.Equal([(0, 0), (1, 0), (2, 0)], Next(engine).Select(i => (i.Trial, i.Shard)));
        Assert.Empty(Next(engine));
        Assert.Equal(3, engine.InFlight);
    }

    [Fact]
    public void A_trial_alone_on_its_completed_rung_goes_on_at_once_and_its_held_work_goes_out()
    {
        var engine = Engine(Halving);
        var first = Next(engine);

        var decision = Assert.Single(Land(engine, first[0]));

        Assert.Equal((0, 0, false), (decision.Trial, decision.Rung, decision.Stopped));
        Assert.Equal(1, engine.RungOf(0));
        Assert.Equal([(0, 1), (0, 2)], Next(engine).Select(i => (i.Trial, i.Shard)));
    }

    [Fact]
    public void A_trial_beaten_on_its_rung_stops_and_its_work_is_never_sent()
    {
        var engine = Engine(Halving);
        var first = Next(engine);
        Land(engine, first[0]);

        var decision = Assert.Single(Land(engine, first[1]));

        Assert.True(decision.Stopped);
        Assert.Equal((1, 0, 0), (decision.Trial, decision.Rung, decision.Best));
        Assert.Same(decision, engine.StopOf(1));
        Assert.Equal(4, engine.Stopped);
        Assert.DoesNotContain(Next(engine), item => item.Trial == 1);
    }

    [Fact]
    public void A_result_of_a_trial_stopped_while_it_was_in_flight_is_dropped_as_stopped()
    {
        // Trial 1 went on at rung 0 before trial 0 completed it; trial 0 then beats it there.
        var engine = Engine(Halving);
        var first = Next(engine);
        Land(engine, first[1]);
        var ahead = Next(engine).Where(item => item.Trial == 1).ToList();
        Assert.NotEmpty(ahead);

        Assert.Contains(Land(engine, first[0]), d => d.Trial == 1 && d.Stopped);

        Assert.Equal(ResultDecision.Stopped, engine.OnResult(ahead[0], Outcome(ahead[0])));
        Assert.False(engine.IsInFlight(engine.Plan.KeyOf(ahead[0])));
    }

    [Fact]
    public void A_second_report_of_a_recorded_result_is_a_duplicate()
    {
        var engine = Engine(Grid);
        var item = Next(engine, count: 1).Single();
        Land(engine, item);

        Assert.Equal(ResultDecision.Duplicate, engine.OnResult(item, Outcome(item)));
        Assert.Equal(1, engine.Done);
    }

    [Fact]
    public void A_result_that_is_not_of_its_item_is_refused_and_nothing_changes()
    {
        var engine = Engine(Grid);
        var items = Next(engine, count: 2);

        Assert.Throws<InvalidDataException>(() => engine.OnResult(items[0], Outcome(items[1])));

        Assert.Equal((2, 0), (engine.InFlight, engine.Done));
    }

    [Fact]
    public void A_result_the_runtime_could_not_record_goes_out_again_uncounted()
    {
        var engine = Engine(Grid);
        var item = Next(engine, count: 1).Single();
        Assert.Equal(ResultDecision.Record, engine.OnResult(item, Outcome(item)));

        engine.Unrecorded(item);

        Assert.Equal(0, engine.Done);
        Assert.Equal(engine.Plan.KeyOf(item), engine.Plan.KeyOf(Next(engine, count: 1).Single()));
    }

    [Fact]
    public void A_retryable_failure_is_retried_until_its_attempts_are_spent_then_given_up_with_the_count()
    {
        var engine = Engine(Grid);
        var item = Next(engine, count: 1).Single();

        for (var attempt = 1; attempt < 3; attempt++)
        {
            Assert.Equal(FailureVerdict.Retry, engine.OnFailure(item, "out of memory", retryable: true).Verdict);
            item = Next(engine, count: 1).Single();
            Assert.Equal(attempt + 1, item.Attempt);
        }
        var decision = engine.OnFailure(item, "out of memory", retryable: true);

        Assert.Equal(FailureVerdict.GiveUp, decision.Verdict);
        Assert.Equal(new FailedWorkItem(item.Trial, item.Shard, 3, "out of memory (after 3 attempts)"), decision.Failure);
        Assert.Equal(0, engine.Failed);
        engine.FailureRecorded(decision.Failure!);
        Assert.True(engine.IsFailed(engine.Plan.KeyOf(item)));
    }

    [Fact]
    public void A_failure_that_would_repeat_is_given_up_at_once_and_a_report_of_an_attempt_no_longer_in_flight_is_ignored()
    {
        var engine = Engine(Grid);
        var item = Next(engine, count: 1).Single();

        Assert.Equal(FailureVerdict.GiveUp, engine.OnFailure(item, "the model's score is NaN", retryable: false).Verdict);
        Assert.Same(FailureDecision.Ignored, engine.OnFailure(item, "the model's score is NaN", retryable: false));
    }

    [Fact]
    public void A_tick_takes_the_work_of_a_worker_that_left_out_of_flight_to_be_retried_and_counts_the_worker_lost()
    {
        var engine = Engine(Grid);
        var lost = engine.Next("a", 2, 2, Noon);
        engine.Next("b", 1, 2, Noon);

        var expiries = engine.OnTick(new HashSet<string> { "b" }, Noon);

        Assert.Equal(lost, expiries.Select(e => e.Item));
        Assert.All(expiries, e => Assert.Equal((true, "worker a left the cluster", FailureVerdict.Retry), (e.Lost, e.Reason, e.Decision.Verdict)));
        Assert.Equal(["a"], engine.WorkersLost);
        Assert.Equal(1, engine.InFlight);
    }

    [Fact]
    public void A_tick_past_the_timeout_retries_what_outlived_it_and_nothing_sooner()
    {
        var engine = Engine(Grid);
        var item = Next(engine, count: 1).Single();
        HashSet<string> live = ["w"];

        Assert.Empty(engine.OnTick(live, Noon + Timeout));
        var expiry = Assert.Single(engine.OnTick(live, Noon + Timeout + TimeSpan.FromSeconds(1)));

        Assert.Equal((item, false, FailureVerdict.Retry), (expiry.Item, expiry.Lost, expiry.Decision.Verdict));
        Assert.Empty(engine.WorkersLost);
    }

    [Fact]
    public void A_failure_that_completes_a_rung_judges_it()
    {
        var engine = Engine(Halving);
        var first = Next(engine);
        Land(engine, first[0]);
        var failure = engine.OnFailure(first[1], "the model's score is NaN", retryable: false).Failure!;

        var decision = Assert.Single(engine.FailureRecorded(failure));

        // Its rung is settled with no values of its own: it cannot be shown worse, so it goes on.
        Assert.Equal((1, 0, false), (decision.Trial, decision.Rung, decision.Stopped));
    }

    [Fact]
    public void An_engine_given_the_decisions_and_the_record_of_another_stands_where_it_stood()
    {
        var live = Engine(Halving);
        var recorded = new List<ShardOutcome>();
        for (var items = Next(live); items.Count > 0; items = Next(live))
            foreach (var item in items)
            {
                recorded.Add(Outcome(item));
                Land(live, item);
            }
        Assert.True(live.AllSettled);

        var restored = Engine(Halving, live.Decisions);
        foreach (var outcome in recorded) restored.Recall(outcome, Noon);

        Assert.Empty(restored.Judge());
        Assert.True(restored.AllSettled);
        Assert.Equal((live.Done, live.Stopped), (restored.Done, restored.Stopped));
        Assert.Equal(Enumerable.Range(0, 3).Select(live.RungOf), Enumerable.Range(0, 3).Select(restored.RungOf));
        Assert.Empty(Next(restored));
    }

    [Fact]
    public void Cancel_sends_nothing_more()
    {
        var engine = Engine(Grid);
        Next(engine, count: 2);

        engine.Cancel();

        Assert.Equal(0, engine.InFlight);
        Assert.Empty(engine.OnTick(new HashSet<string>(), Noon.AddHours(1)));
    }
}
