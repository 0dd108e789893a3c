using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Saliency.Attribution.Sweeps;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Sweeps;

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

    static WorkReport Report(WorkItem item) => new(item, "worker", JsonSerializer.SerializeToUtf8Bytes(new ShardOutcome(item.Trial, item.Shard,
        Enumerable.Range(item.Start, item.Count)
            .Select(key => new ImageOutcome(key, 0, 0, 1, null, 0, null, null, DeletionAuc: 0.1, InsertionAuc: 0.1 + Value(item.Trial, key), 8, 0.01))
            .ToArray(), [], 0.1)));

    static List<WorkItem> Send(SweepSession session)
    {
        var items = session.Window.Next(100, "worker", 1, session.Ledger);
        session.Window.Sent(items, "worker", DateTime.UtcNow);
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
        Assert.Equal(1, session.Rungs.RungOf(0));
        Assert.Equal([(0, 1), (0, 2)], Send(session).Select(i => (i.Trial, i.Shard)));

        Land(session, first[1]);
        var stop = Assert.IsType<RungDecision>(session.Rungs.StopOf(1));
        Assert.Equal((0, 0, 8), (stop.Rung, stop.Best, stop.Images));
        Assert.True(stop.High < 0);
        // Shards 1-4 of trial 1 are settled as stopped, and none of them goes out.
        Assert.Equal(4, session.Ledger.Stopped);
        Land(session, first[2]);
        Assert.Null(session.Rungs.StopOf(2));
        Assert.DoesNotContain(Send(session), item => item.Trial == 1);
        Assert.Contains(session.State.Decisions, json => json.Contains("\"Stopped\":true"));
    }

    [Fact]
    public async Task The_sweep_settles_when_the_trials_left_complete_and_a_restore_keeps_every_decision()
    {
        var state = State();
        using (var session = Start(state))
        {
            for (var items = Send(session); items.Count > 0; items = Send(session))
                foreach (var item in items) Land(session, item);
            Assert.True(session.Ledger.AllSettled);
            Assert.Equal(("stopped", 1), (session.Rungs.StopOf(1) is null ? "went on" : "stopped", session.Rungs.Decisions.Count(d => d.Stopped)));
            Assert.Equal(2, session.Rungs.RungOf(0));
            Assert.Equal((2 * 40 + 8) / 8, session.Ledger.Done);
        }

        using var restored = await SweepSession.RestoreAsync(state, new SaliencySiloOptions(), NullLogger.Instance);
        Assert.Empty(restored.Judge());
        Assert.True(restored.Ledger.AllSettled);
        Assert.Equal(0, restored.Rungs.StopOf(1)!.Rung);
        Assert.Equal(4, restored.Ledger.Stopped);
        Assert.Empty(restored.Window.Next(100, "worker", 1, restored.Ledger));
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
            var past = new WorkReport(item, "worker", JsonSerializer.SerializeToUtf8Bytes(new ShardOutcome(item.Trial, item.Shard,
                [new ImageOutcome(item.Start, 0, 0, 1, null, 0, null, null, 0.1, 0.2, 8, 0.01)], [], 0.1, Start: item.Start, Count: item.Count + 1)));

            Assert.Throws<InvalidDataException>(() => session.Land(past, out _));
            Land(session, item);
        }

        using var restored = await SweepSession.RestoreAsync(state, new SaliencySiloOptions(), NullLogger.Instance);
        Assert.Equal(1, restored.Ledger.Done);
    }
}
