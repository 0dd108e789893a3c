using Saliency.Attribution.Results;

namespace Saliency.Attribution.Sweeps.Engine;

/// <summary>
/// The scheduling of one sweep, free of any runtime: its plan, the ledger of what is done, where each trial stands in
/// the schedule and the window of work in flight, behind a few events. The runtime says what happened (a worker asks
/// for work, a result or a failure comes back, time passes) and the engine answers what to do (send these items,
/// record this result, retry that item, these trials stop or go on). It makes no call, writes no file and reads no
/// clock: the runtime carries its decisions out, stores them and times them, and a replay needs no cluster. A result or
/// a failure that counts is recorded by the runtime before the engine counts it (<see cref="Recorded"/>,
/// <see cref="FailureRecorded"/>), so the engine never counts what the runtime's record lacks.
/// </summary>
public sealed class SweepEngine
{
    readonly SweepLedger ledger;
    readonly SweepRungs rungs;
    readonly DispatchWindow window;
    readonly HashSet<string> workersLost = new(StringComparer.Ordinal);

    /// <param name="maxAttempts">Attempts a work item gets before it fails for good.</param>
    /// <param name="timeout">How long an item may be in flight before it goes out again.</param>
    /// <param name="decided">The rung decisions made before, in order (a restore): a stopped trial stays stopped.</param>
    /// <param name="failed">The work items that failed for good before (a restore).</param>
    public SweepEngine(SweepPlan plan, int maxAttempts, TimeSpan timeout, IEnumerable<RungDecision>? decided = null, IEnumerable<FailedWorkItem>? failed = null)
    {
        Plan = plan;
        rungs = new SweepRungs(plan, decided ?? []);
        ledger = new SweepLedger(plan, failed ?? []);
        foreach (var decision in rungs.Decisions.Where(d => d.Stopped)) ledger.Stop(decision.Trial, rungs.Rungs[decision.Rung].Shards);
        window = new DispatchWindow(plan, maxAttempts, timeout, rungs);
    }

    public SweepPlan Plan { get; }

    public int Done => ledger.Done;
    public int Failed => ledger.Failed;
    /// <summary>Work items never to be done: their trial stopped before their shard.</summary>
    public int Stopped => ledger.Stopped;
    public bool AllSettled => ledger.AllSettled;
    public int InFlight => window.InFlight;
    public int InFlightOn(string worker) => window.InFlightOn(worker);
    public bool IsDone(long key) => ledger.IsDone(key);
    public bool IsFailed(long key) => ledger.IsFailed(key);
    public bool IsStopped(long key) => ledger.IsStopped(key);
    public bool IsInFlight(long key) => window.IsInFlight(key);
    public IReadOnlyList<TrialAggregate> Aggregates => ledger.Aggregates;
    public int ShardsDone(int trial) => ledger.ShardsDone(trial);
    public int ShardsFailed(int trial) => ledger.ShardsFailed(trial);
    /// <summary>Images' worth of work the items in flight have done, per trial, as their workers last said.</summary>
    public double[] ImagesInFlight() => window.ImagesInFlight();
    public IReadOnlyList<Rung> Rungs => rungs.Rungs;
    /// <summary>The rung the trial is on: the one it is computing, stopped at, or completed as the last.</summary>
    public int RungOf(int trial) => rungs.RungOf(trial);
    public RungDecision? StopOf(int trial) => rungs.StopOf(trial);
    /// <summary>Every rung decision made, in order, those given at construction first.</summary>
    public IReadOnlyList<RungDecision> Decisions => rungs.Decisions;
    /// <summary>Workers that left the cluster while holding this sweep's work.</summary>
    public IReadOnlySet<string> WorkersLost => workersLost;

    /// <summary>A result read back from the runtime's record (a restore): counted as when it landed, if it counts.</summary>
    public void Recall(ShardOutcome outcome, DateTimeOffset recordedAt)
    {
        if (ledger.Add(outcome, recordedAt) != LedgerEntry.Duplicate) rungs.Add(outcome);
    }

    /// <summary>
    /// A worker can take up to <paramref name="count"/> items: they are in flight on it from <paramref name="now"/>.
    /// Retries come first, then items not sent yet; a trial's items past the rung it has yet to be judged at wait.
    /// </summary>
    /// <param name="workers">How many workers there are: a retry that timed out on this worker waits for another while there is one.</param>
    public IReadOnlyList<WorkItem> Next(string worker, int count, int workers, DateTime now)
    {
        var items = window.Next(count, worker, workers, ledger);
        window.Sent(items, worker, now);
        return items;
    }

    /// <summary>A worker did not take its items: they go out again as they were, to whichever worker comes next.</summary>
    public void NotAccepted(IEnumerable<WorkItem> items) => window.NotAccepted(items);

    /// <summary>A worker's word on how far an item has come; only the worker it is in flight on is heard.</summary>
    public void OnProgress(WorkItem item, string worker, double imagesDone) => window.Progressed(item, worker, imagesDone);

    /// <summary>
    /// A worker's result for <paramref name="item"/>: whether the runtime is to record it. A report of an earlier
    /// attempt leaves the one now in flight where it is, unless it completes the shard.
    /// </summary>
    /// <exception cref="InvalidDataException">The outcome is not of the item, or covers images outside its shard: nothing changes, and the item times out and goes out again.</exception>
    public ResultDecision OnResult(WorkItem item, ShardOutcome outcome)
    {
        if (outcome.Trial != item.Trial || outcome.Shard != item.Shard || outcome.PartIndex != item.Part)
            throw new InvalidDataException($"outcome of trial {outcome.Trial} shard {outcome.Shard} part {outcome.PartIndex} reported as trial {item.Trial} shard {item.Shard} part {item.Part}");
        ledger.Require(outcome);
        window.Landed(item);
        var key = Plan.KeyOf(item);
        var decision = ledger.IsStopped(key) ? ResultDecision.Stopped
            : ledger.IsFailed(key) || !ledger.Counts(outcome) ? ResultDecision.Duplicate
            : ResultDecision.Record;
        if (decision != ResultDecision.Record) window.Reconcile(key, ledger);
        return decision;
    }

    /// <summary>The runtime recorded a result the engine asked it to: it counts now. Returns the rung decisions it led to, in the order made.</summary>
    public IReadOnlyList<RungDecision> Recorded(ShardOutcome outcome, DateTimeOffset? at = null)
    {
        if (ledger.Add(outcome, at) != LedgerEntry.Duplicate) rungs.Add(outcome);
        window.Reconcile(Plan.KeyOf(outcome.Trial, outcome.Shard, outcome.PartIndex), ledger);
        return Judge();
    }

    /// <summary>The runtime could not record what the engine asked it to (a full disk): the item's rest goes out again.</summary>
    public void Unrecorded(WorkItem item) => window.Reconcile(Plan.KeyOf(item), ledger);

    /// <summary>A worker's failure of <paramref name="item"/>: ignored when that attempt is no longer in flight; else retried, or given up when it would repeat or has had its attempts.</summary>
    public FailureDecision OnFailure(WorkItem item, string reason, bool retryable)
    {
        if (!window.Landed(item) || ledger.IsSettled(Plan.KeyOf(item))) return FailureDecision.Ignored;
        return retryable ? RetryOrGiveUp(item, reason) : GiveUp(item, reason);
    }

    /// <summary>The runtime recorded a failure the engine gave up on: it counts now. Returns the rung decisions it led to.</summary>
    public IReadOnlyList<RungDecision> FailureRecorded(FailedWorkItem failure)
    {
        ledger.Fail(failure.Trial, failure.Shard, failure.Part, failure.Reason);
        return Judge();
    }

    /// <summary>
    /// Time has passed: items whose worker is not among <paramref name="liveWorkers"/>, or that were sent longer than
    /// the timeout before <paramref name="now"/>, leave flight, each to be retried or given up.
    /// </summary>
    public IReadOnlyList<Expiry> OnTick(IReadOnlySet<string> liveWorkers, DateTime now)
    {
        var expiries = new List<Expiry>();
        foreach (var expired in window.Expire(liveWorkers, now))
        {
            if (expired.Lost) workersLost.Add(expired.Worker);
            expiries.Add(new Expiry(expired.Item, expired.Worker, expired.Lost, expired.Reason, RetryOrGiveUp(expired.Item, expired.Reason)));
        }
        return expiries;
    }

    /// <summary>Nothing more goes out: a cancelled sweep.</summary>
    public void Cancel() => window.Clear();

    /// <summary>
    /// Judges every trial whose rung is complete and returns each decision once, in the order made: a trial that lost
    /// stops, its work never to be done, and what the others held back goes out. The events that complete a rung judge
    /// at once; a restore calls this after recalling the record, for a rung that completed after the last stored decision.
    /// </summary>
    public IReadOnlyList<RungDecision> Judge()
    {
        var made = rungs.JudgeComplete(ledger);
        foreach (var decision in made)
        {
            if (decision.Stopped) ledger.Stop(decision.Trial, rungs.Rungs[decision.Rung].Shards);
            window.Judged(decision.Trial);
        }
        return made;
    }

    FailureDecision RetryOrGiveUp(WorkItem item, string reason) =>
        window.Retry(item) ? FailureDecision.Retried : GiveUp(item, $"{reason} (after {item.Attempt} attempts)");

    FailureDecision GiveUp(WorkItem item, string reason) => ledger.IsSettled(Plan.KeyOf(item))
        ? FailureDecision.Ignored
        : new FailureDecision(FailureVerdict.GiveUp, new FailedWorkItem(item.Trial, item.Shard, item.Attempt, reason, item.Part));
}
