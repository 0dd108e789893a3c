using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Sweeps;
using WorkItem = Saliency.Grains.Contracts.WorkItem;

namespace Saliency.Grains.Tests;

/// <summary>
/// A halving sweep inside the coordinator, without a cluster: its session holds each trial's shards past its rung until
/// the trial is judged, judges it the moment its rung is complete, never sends a stopped trial's work, and keeps its
/// decisions across a restore from the state and the result log.
/// </summary>
[Trait("Lane", "Unit")]
public sealed class HalvingSessionTests : IDisposable
{
    // 3 trials × 5 shards of 8 over 40 images; rungs of 1, 3 and 5 shards (8, 24 and 40 images).
    const string Spec = """
        name: halving
        model: fashion-cnn
        data: fashion-mnist:test:0-39
        methods: { ig: { steps: [8, 16, 32] } }
        metrics: [deletion, insertion]
        shard: 8
        schedule: { kind: halving, min_images: 8, reduction: 3 }

        """;

    readonly string directory = Directory.CreateTempSubdirectory("halving-session-").FullName;

    static Serializer Serializer => OrleansWire.Serializer;

    /// <summary>
    /// A state as the version before typed decisions stored it: this spec, status stopped, 1 retry, and its three decisions
    /// at rung 0 kept as JSON (trials 0 and 2 went on, trial 1 stopped).
    /// </summary>
    static SweepState ReadPreviousVersionState() => Serializer.Deserialize<SweepState>(
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sweep-state-before-typed-decisions.state")))!;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    SweepState State() => new()
    {
        SweepId = "halving",
        Name = "halving",
        SpecText = Spec,
        SpecFile = "halving.yaml",
        RunDirectory = directory,
        Status = SweepStatus.Running,
        ImageCount = 40,
    };

    static SweepSession Start(SweepState state) =>
        SweepSession.Start(state, new SweepPlan(SweepSpec.Parse(Spec, "halving.yaml"), 40), new SaliencySiloOptions(), NullLogger.Instance);

    /// <summary>
    /// Trial 0 is best by 0.3 on every image; trial 1 is 0.3 behind it; trial 2 is level with it but for a noise that
    /// a small rung cannot tell apart. Insertion − deletion is the objective.
    /// </summary>
    static double Value(int trial, int key) => trial switch
    {
        0 => 0.6 + 0.01 * (key % 5),
        1 => 0.3 + 0.01 * (key % 5),
        _ => 0.6 + 0.01 * (key % 5) + (key % 2 == 0 ? 0.05 : -0.05),
    };

    static WorkReport Report(WorkItem item) => new(item, "worker", new ShardOutcome(item.Trial, item.Shard,
        Enumerable.Range(item.Start, item.Count)
            .Select(key => TestOutcomes.Image(key, 0, 0, 1, null, 0, null, null, deletionAuc: 0.1, insertionAuc: 0.1 + Value(item.Trial, key), 8, 0.01))
            .ToArray(), [], 0.1).ToWire());

    static List<WorkItem> Send(SweepSession session)
    {
        var items = session.Engine.Next("worker", 100, 1, DateTime.UtcNow).Select(i => i.ToWire()).ToList();
        return items;
    }

    static void Land(SweepSession session, WorkItem item)
    {
        Assert.Equal(SweepSession.Landing.Counted, session.Land(Report(item), out _));
        session.Judge();
    }

    [Fact]
    public void Each_trial_gets_its_first_rung_alone_until_it_is_judged()
    {
        using var session = Start(State());
        Assert.Equal([(0, 0), (1, 0), (2, 0)], Send(session).Select(i => (i.Trial, i.Shard)));
        Assert.Empty(Send(session));
    }

    [Fact]
    public void A_trial_judged_first_goes_on_at_once_and_a_beaten_one_stops_with_its_work_never_sent()
    {
        using var session = Start(State());
        var first = Send(session);

        Land(session, first[0]);
        // Alone on its rung, trial 0 goes on to rung 1 (shards 1 and 2) without waiting for the others.
        Assert.Equal(1, session.Engine.RungOf(0));
        Assert.Equal([(0, 1), (0, 2)], Send(session).Select(i => (i.Trial, i.Shard)));

        Land(session, first[1]);
        var stop = Assert.IsType<RungDecision>(session.Engine.StopOf(1));
        Assert.Equal((0, 0, 8), (stop.Rung, stop.Best, stop.Images));
        Assert.True(stop.High < 0);
        // Shards 1-4 of trial 1 are settled as stopped, and none of them goes out.
        Assert.Equal(4, session.Engine.Stopped);
        Land(session, first[2]);
        Assert.Null(session.Engine.StopOf(2));
        Assert.DoesNotContain(Send(session), item => item.Trial == 1);
        Assert.Contains(session.State.Decisions, decision => decision.Stopped && decision.Trial == 1);
    }

    [Fact]
    public async Task The_sweep_settles_when_the_trials_left_complete_and_a_restore_keeps_every_decision()
    {
        var state = State();
        using (var session = Start(state))
        {
            for (var items = Send(session); items.Count > 0; items = Send(session))
                foreach (var item in items) Land(session, item);
            Assert.True(session.Engine.AllSettled);
            Assert.Equal(("stopped", 1), (session.Engine.StopOf(1) is null ? "went on" : "stopped", session.Engine.Decisions.Count(d => d.Stopped)));
            Assert.Equal(2, session.Engine.RungOf(0));
            Assert.Equal((2 * 40 + 8) / 8, session.Engine.Done);
        }

        using var restored = await SweepSession.RestoreAsync(state, new SaliencySiloOptions(), NullLogger.Instance);
        Assert.Empty(restored.Judge());
        Assert.True(restored.Engine.AllSettled);
        Assert.Equal(0, restored.Engine.StopOf(1)!.Rung);
        Assert.Equal(4, restored.Engine.Stopped);
        Assert.Empty(restored.Engine.Next("worker", 100, 1, DateTime.UtcNow));
    }

    [Fact]
    public async Task A_rung_completed_before_its_decision_was_stored_is_judged_on_restore()
    {
        var state = State();
        using (var session = Start(state))
            foreach (var item in Send(session))
                Assert.Equal(SweepSession.Landing.Counted, session.Land(Report(item), out _));
        Assert.Empty(state.Decisions);

        using var restored = await SweepSession.RestoreAsync(state, new SaliencySiloOptions(), NullLogger.Instance);
        var decisions = restored.Judge();
        Assert.Equal(3, decisions.Count);
        Assert.Single(decisions, d => d.Stopped && d.Trial == 1);
        Assert.Equal(3, state.Decisions.Count);
    }

    [Fact]
    public async Task A_report_whose_range_runs_past_its_shard_is_refused_unwritten_and_the_sweep_still_restores()
    {
        var state = State();
        using (var session = Start(state))
        {
            var item = Send(session)[0];
            var past = new WorkReport(item, "worker", new ShardOutcome(item.Trial, item.Shard,
                [TestOutcomes.Image(item.Start, 0, 0, 1, null, 0, null, null, 0.1, 0.2, 8, 0.01)], [], 0.1, Start: item.Start, Count: item.Count + 1).ToWire());

            Assert.Throws<InvalidDataException>(() => session.Land(past, out _));
            Land(session, item);
        }

        using var restored = await SweepSession.RestoreAsync(state, new SaliencySiloOptions(), NullLogger.Instance);
        Assert.Equal(1, restored.Engine.Done);
    }

    [Fact]
    public async Task A_state_from_before_typed_decisions_resumes_with_every_decision_typed_once()
    {
        var previous = ReadPreviousVersionState();
        Assert.Equal((3, 0, SweepStatus.Stopped, 1), (previous.EarlierDecisions.Count, previous.Decisions.Count, previous.Status, previous.Retries));
        previous.RunDirectory = directory;

        using var restored = await SweepSession.RestoreAsync(previous, new SaliencySiloOptions(), NullLogger.Instance);

        Assert.Equal([(0, false), (1, true), (2, false)], previous.Decisions.Select(d => (d.Trial, d.Stopped)));
        Assert.Empty(previous.EarlierDecisions);
        // Changed, so the coordinator's next checkpoint stores the state in its new form.
        Assert.True(restored.Dirty);
        Assert.Equal((0, 1, 1), (restored.Engine.StopOf(1)!.Rung, restored.Engine.RungOf(0), restored.Engine.RungOf(2)));
        // Nothing is in the result log: every trial's rung-0 shard goes out again, and trial 1 nothing past it.
        Assert.Equal([(0, 0), (1, 0), (2, 0), (0, 1), (2, 1), (0, 2), (2, 2)],
            restored.Engine.Next("worker", 100, 1, DateTime.UtcNow).Select(i => (i.Trial, i.Shard)));
    }

    [Fact]
    public async Task Typed_decisions_survive_the_stored_state_and_a_restore_keeps_them_as_they_were()
    {
        var state = State();
        using (var session = Start(state))
            foreach (var item in Send(session)) Land(session, item);
        var stored = Serializer.Deserialize<SweepState>(Serializer.SerializeToArray(state))!;

        using var restored = await SweepSession.RestoreAsync(stored, new SaliencySiloOptions(), NullLogger.Instance);

        Assert.Equal(state.Decisions, stored.Decisions);
        Assert.Equal(state.Decisions, restored.Engine.Decisions);
        Assert.False(restored.Dirty);
    }

    [Fact]
    public async Task A_decision_an_earlier_version_stored_that_cannot_be_read_stops_the_restore_saying_so()
    {
        var state = State();
        state.EarlierDecisions.Add("{\"Trial\": ");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SweepSession.RestoreAsync(state, new SaliencySiloOptions(), NullLogger.Instance));

        Assert.Contains("sweep halving: rung decision 1 of 1, stored by an earlier version, cannot be read", error.Message);
        Assert.Contains("submit its spec again", error.Message);
    }
}
