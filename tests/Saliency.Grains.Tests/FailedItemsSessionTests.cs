using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Storage;
using Saliency.Grains.Sweeps;
using WorkItem = Saliency.Grains.Contracts.WorkItem;

namespace Saliency.Grains.Tests;

/// <summary>
/// Work items that fail for good, inside the coordinator and without a cluster: each is a line of the run directory's
/// failure log, the stored state keeps only a count and the first few, so storing it costs the same however many
/// failed, and a restore learns every failed item from the log, from a state written before the log too.
/// </summary>
[Trait("Lane", "Unit")]
public sealed class FailedItemsSessionTests : IDisposable
{
    // 10 trials × 20 shards of 1 image: 200 work items.
    const string Spec = """
        name: failing
        model: fashion-cnn
        data: fashion-mnist:test:0-19
        methods: { ig: { steps: [8, 16, 24, 32, 40, 48, 56, 64, 72, 80] } }
        shard: 1

        """;

    static readonly SweepPlan Plan = new(SweepSpec.Parse(Spec, "failing.yaml"), 20);

    static Serializer Serializer => OrleansWire.Serializer;

    /// <summary>A state as the version before the failure log stored it: sweep <c>ledger</c> (2 trials × 3 shards) with trial 1 shard 0 and trial 0 shard 2 failed.</summary>
    static readonly string PreviousVersionState = Path.Combine(AppContext.BaseDirectory, "Fixtures", "sweep-state-before-failure-log.state");

    readonly string directory = Directory.CreateTempSubdirectory("failed-items-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    SweepState State() => new()
    {
        SweepId = "failing-20261201-000000",
        Name = "failing",
        SpecText = Spec,
        SpecFile = "failing.yaml",
        RunDirectory = directory,
        Status = SweepStatus.Running,
        ImageCount = 20,
    };

    static SweepSession Start(SweepState state) => SweepSession.Start(state, Plan, new SaliencySiloOptions(), NullLogger.Instance);

    static Task<SweepSession> Restore(SweepState state) => SweepSession.RestoreAsync(state, new SaliencySiloOptions(), NullLogger.Instance);

    static SweepState Copy(SweepState state) => Serializer.Deserialize<SweepState>(Serializer.SerializeToArray(state))!;

    static SweepState ReadPreviousVersionState() => Serializer.Deserialize<SweepState>(File.ReadAllBytes(PreviousVersionState))!;

    /// <summary>Sends the next <paramref name="count"/> items and fails each for good, as a worker reports an error that would repeat.</summary>
    static List<WorkItem> FailNext(SweepSession session, int count)
    {
        var items = session.Engine.Next("worker", count, 1, DateTime.UtcNow).Select(i => i.ToWire()).ToList();
        foreach (var item in items) Assert.True(session.Failed(Failure(item)));
        return items;
    }

    static WorkFailure Failure(WorkItem item) => new(item, "worker", $"the model's score is NaN on trial {item.Trial} shard {item.Shard}", Retryable: false);

    int Logged => FailureLog.Read(FailureLog.PathIn(directory)).Count();

    [Fact]
    public async Task The_state_stored_at_each_failure_stays_the_same_size_however_many_have_failed()
    {
        var state = State();
        using var session = Start(state);
        var storage = new FileGrainStorage(Path.Combine(directory, "grains"), Serializer);
        var grain = GrainId.Create("sweep", state.SweepId);
        var written = new List<long>();
        // As the coordinator does: the state is stored at once after each failure.
        for (var failed = 1; failed <= Plan.WorkItemCount; failed++)
        {
            FailNext(session, 1);
            await storage.WriteStateAsync("sweep", grain, new GrainState<SweepState>(state));
            written.Add(new FileInfo(Path.Combine(directory, "grains", "sweep", $"sweep_{state.SweepId}.state")).Length);
        }

        // Past the first few, which the state keeps for messages, a failure changes only its count: 200 failures cost what 20 did.
        Assert.InRange(written[^1] - written[SweepState.FirstFailuresKept - 1], 0, 2);
        Assert.Equal((200, SweepState.FirstFailuresKept), (state.FailureCount, state.FirstFailures.Count));
        Assert.Equal(200, Logged);
        Assert.Equal((SweepStatus.Failed, "every work item failed; first: the model's score is NaN on trial 0 shard 0"), session.Ending());
    }

    [Fact]
    public async Task A_restored_session_knows_every_failed_item_and_sends_none_of_them_again()
    {
        var state = State();
        List<WorkItem> failed;
        using (var session = Start(state))
        {
            failed = FailNext(session, 60);
            // The same failure reported again (a worker's retried report) is no second failure.
            Assert.False(session.Failed(Failure(failed[0])));
        }
        Assert.Equal(60, Logged);

        using var restored = await Restore(state);

        Assert.Equal(60, restored.Engine.Failed);
        Assert.All(failed, item => Assert.True(restored.Engine.IsFailed(Plan.KeyOf(item.Trial, item.Shard, item.Part))));
        var next = restored.Engine.Next("worker", 1000, 1, DateTime.UtcNow);
        Assert.Equal(140, next.Count);
        Assert.DoesNotContain(next, item => restored.Engine.IsFailed(Plan.KeyOf(item.Trial, item.Shard, item.Part)));
        Assert.False(restored.Dirty);
        // Every trial with a failed shard says so, though the state keeps only the first few failures.
        var progress = SweepProgressView.Of(state.SweepId, state, 0, restored, recordingEnd: false);
        Assert.All(progress.Trials, trial => Assert.StartsWith("6 shard(s) failed; first: shard ", trial.Failure));
    }

    [Fact]
    public async Task A_failure_logged_before_a_crash_took_the_state_with_it_is_counted_on_restore()
    {
        var state = State();
        SweepState stored;
        using (var session = Start(state))
        {
            FailNext(session, 2);
            stored = Copy(state);
            FailNext(session, 1);
        }

        using var restored = await Restore(stored);

        Assert.Equal(3, restored.Engine.Failed);
        Assert.Equal((3, 3), (stored.FailureCount, stored.FirstFailures.Count));
        Assert.True(restored.Dirty);
    }

    [Fact]
    public async Task A_state_from_before_the_failure_log_restores_with_its_failures_moved_into_the_log_once()
    {
        var previous = ReadPreviousVersionState();
        Assert.Equal((2, 0, 2), (previous.EarlierFailures.Count, previous.FailureCount, previous.Retries));
        var plan = new SweepPlan(SweepSpec.Parse(previous.SpecText, previous.SpecFile), previous.ImageCount);
        previous.RunDirectory = directory;

        using (var restored = await Restore(previous))
        {
            Assert.True(restored.Engine.IsFailed(plan.KeyOf(1, 0)) && restored.Engine.IsFailed(plan.KeyOf(0, 2)));
            Assert.Equal(2, restored.Engine.Failed);
            Assert.Equal(4, restored.Engine.Next("worker", 10, 1, DateTime.UtcNow).Count);
            Assert.Empty(previous.EarlierFailures);
            Assert.Equal(2, previous.FailureCount);
            Assert.Equal(["no result within 00:10:00 (after 3 attempts)", "the model's score is NaN"], previous.FirstFailures.Select(f => f.Reason));
            // Changed, so the coordinator's next checkpoint stores the state in its new form.
            Assert.True(restored.Dirty);
        }
        Assert.Equal(2, Logged);

        // The coordinator died before storing it: the state it finds next is the previous version's again.
        var again = ReadPreviousVersionState();
        again.RunDirectory = directory;
        using (var restored = await Restore(again)) Assert.Equal(2, restored.Engine.Failed);
        Assert.Equal(2, Logged);
    }
}
