using Saliency.Attribution.Data;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;
using Saliency.Grains.Hosting;
using Saliency.Grains.Telemetry;
using Saliency.Grains.Contracts;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// The working parts of a sweep that has been prepared: its state, its plan, its ledger of what is done, where each trial
/// stands in the schedule, the dispatch window, the result log and the failure log. It takes in what workers report and changes the
/// state to match; the coordinator grain around it decides when that state is stored and makes every call.
/// </summary>
public sealed class SweepSession : IDisposable
{
    readonly ILogger logger;
    readonly SweepGauges gauges = new();
    readonly Stopwatch running = new();

    SweepSession(SweepState state, SweepPlan plan, SweepLedger ledger, SweepRungs rungs, SaliencySiloOptions options, ILogger logger)
    {
        (State, Plan, Ledger, Rungs, this.logger) = (state, plan, ledger, rungs, logger);
        Window = new DispatchWindow(plan, options.MaxAttempts, options.WorkItemTimeout, rungs);
        Roots = new SpecPolicy(options).Roots;
        maxWorkerDeaths = options.MaxWorkerDeaths;
        Log = new ResultLog(state.RunDirectory);
        FailureLog = new FailureLog(state.RunDirectory);
    }

    public SweepState State { get; }
    public SweepPlan Plan { get; }
    public SweepLedger Ledger { get; }
    public SweepRungs Rungs { get; }
    public DispatchWindow Window { get; }
    public ResultLog Log { get; }
    public FailureLog FailureLog { get; }

    /// <summary>Seconds the sweep has run, over every session of it.</summary>
    public double ElapsedSeconds => State.EarlierSeconds + running.Elapsed.TotalSeconds;

    /// <summary>Dispatching starts (or starts again): the clock runs and the gauges show.</summary>
    public void Resume()
    {
        Publish();
        gauges.Track(State.SweepId);
        running.Start();
    }

    /// <summary>Dispatching stops: the clock's time goes into the state, and the gauges leave.</summary>
    public void Pause()
    {
        gauges.Dispose();
        if (!running.IsRunning) return;
        running.Stop();
        State.EarlierSeconds += running.Elapsed.TotalSeconds;
        running.Reset();
    }

    /// <summary>The counts the gauges show, taken now.</summary>
    public void Publish() => gauges.Publish(Plan.WorkItemCount, Ledger.Done, Ledger.Failed + Ledger.Stopped, Window.InFlight);

    /// <summary>True when the state has counts (retries, duplicates) that have not been stored since they changed.</summary>
    public bool Dirty { get; set; }

    /// <summary>
    /// Set when a failure could not be logged (a full disk): the message a sweep stopped by it shows. The item is not
    /// failed, and goes out again once the sweep resumes. The coordinator takes it with <see cref="TakeUnwritable"/>.
    /// </summary>
    public string? Unwritable { get; private set; }

    public string? TakeUnwritable()
    {
        var unwritable = Unwritable;
        Unwritable = null;
        return unwritable;
    }

    /// <summary>Makes every line of both logs durable on disk; done before the state is stored, so it never counts what they lack.</summary>
    public void Sync()
    {
        Log.Sync();
        FailureLog.Sync();
    }

    /// <summary>What became of a reported result.</summary>
    public enum Landing { Counted, Dropped, Unwritable }

    /// <summary>A sweep about to start: nothing done.</summary>
    /// <summary>Workers that left the cluster holding this session's work items, and how many of them fail the sweep.</summary>
    readonly HashSet<string> workersLost = new(StringComparer.Ordinal);
    readonly int maxWorkerDeaths;

    /// <summary>Where this silo reads the sweep's files: its images for the comparison sheet are opened through it.</summary>
    public AllowedRoots Roots { get; }

    public static SweepSession Start(SweepState state, SweepPlan plan, SaliencySiloOptions options, ILogger logger) =>
        new(state, plan, new SweepLedger(plan, []), new SweepRungs(plan, []), options, logger);

    /// <summary>
    /// Rebuilds what failed and what is done from the failure log and the result log, on the thread pool: the logs are
    /// the record, the persisted state only its frame, and they can hold millions of lines that need not be in memory at
    /// once. Rung decisions come from the state; a rung that completed after the last decision was stored is judged at the
    /// next <see cref="Judge"/>. A state written before the failure log holds its failures itself: they are logged now,
    /// those not logged already, and the state counts them as a state written since would.
    /// </summary>
    public static async Task<SweepSession> RestoreAsync(SweepState state, SaliencySiloOptions options, ILogger logger)
    {
        var (session, failures) = await Task.Run(() =>
        {
            var spec = SweepSpec.Parse(state.SpecText, state.SpecFile);
            var plan = new SweepPlan(spec, state.ImageCount > 0 ? state.ImageCount : SweepAdmission.CountImages(spec, new SpecPolicy(options).Roots));
            var rungs = new SweepRungs(plan, state.Decisions.Select(json => JsonSerializer.Deserialize<RungDecision>(json)
                ?? throw new InvalidDataException($"sweep {state.SweepId}: an empty rung decision in its state")));
            var logged = FailureLog.Read(FailureLog.PathIn(state.RunDirectory)).ToList();
            var ledger = new SweepLedger(plan, logged);
            var unlogged = state.EarlierFailures.Where(f => ledger.Fail(f.Trial, f.Shard, f.Part, f.Reason)).ToList();
            foreach (var decision in rungs.Decisions.Where(d => d.Stopped)) ledger.Stop(decision.Trial, rungs.Rungs[decision.Rung].Shards);
            foreach (var entry in ResultLog.ReadEntries(ResultLog.PathIn(state.RunDirectory)))
                if (ledger.Add(entry.Outcome, entry.LoggedAt) != LedgerEntry.Duplicate) rungs.Add(entry.Outcome);
            var restored = new SweepSession(state, plan, ledger, rungs, options, logger);
            try
            {
                foreach (var failure in unlogged) restored.FailureLog.Append(failure);
            }
            catch
            {
                restored.Dispose();
                throw;
            }
            return (restored, logged.Concat(unlogged).Take(SweepState.FirstFailuresKept).ToList());
        });
        // On the caller's turn: the state is the grain's, and another of its calls may be storing it.
        session.Recount(failures);
        return session;
    }

    /// <summary>Counts the failures in the state as the failure log holds them, and empties what a state from before the log kept.</summary>
    void Recount(List<FailedWorkItem> first)
    {
        if (State.EarlierFailures.Count == 0 && State.FailureCount == Ledger.Failed) return;
        State.EarlierFailures.Clear();
        State.FailureCount = Ledger.Failed;
        State.FirstFailures = first;
        Dirty = true;
    }

    /// <summary>
    /// Takes in a worker's result: counted once, or dropped as a duplicate. A counted outcome is written to the run
    /// directory before it counts: maps first, since the log line is what makes it count, so a map is never missing.
    /// </summary>
    /// <param name="error">For <see cref="Landing.Unwritable"/>: the message a sweep stopped by it shows.</param>
    public Landing Land(WorkReport report, out string? error)
    {
        error = null;
        var key = Plan.KeyOf(report.Item);
        var outcome = JsonSerializer.Deserialize<ShardOutcome>(report.Outcome)
            ?? throw new InvalidDataException($"empty outcome for trial {report.Item.Trial} shard {report.Item.Shard}");
        if (outcome.Trial != report.Item.Trial || outcome.Shard != report.Item.Shard || outcome.PartIndex != report.Item.Part)
            throw new InvalidDataException($"outcome of trial {outcome.Trial} shard {outcome.Shard} part {outcome.PartIndex} reported as trial {report.Item.Trial} shard {report.Item.Shard} part {report.Item.Part}");
        // Checked whole before it touches the window or the log: what is refused here leaves the item in flight, to time out and go out again.
        Ledger.Require(outcome);
        // A report of an item sent earlier than the one now in flight leaves that one in flight, unless it completes the shard.
        Window.Landed(report.Item);
        var landing = Landing.Counted;
        // Work of a trial the schedule stopped while it was in flight is not counted, and is no duplicate either.
        if (Ledger.IsStopped(key)) landing = Landing.Dropped;
        else if (Ledger.IsFailed(key) || !Ledger.Counts(outcome))
        {
            SweepTelemetry.Duplicates.Add(1);
            State.DuplicatesDropped++;
            Dirty = true;
            landing = Landing.Dropped;
        }
        else
        {
            try
            {
                foreach (var map in outcome.Maps) MapStore.Write(State.RunDirectory, outcome.Trial, map);
                Log.Append(outcome);
            }
            catch (IOException e)
            {
                error = CannotWrite(e);
                landing = Landing.Unwritable;
            }
            if (landing == Landing.Counted)
            {
                Ledger.Add(outcome);
                Rungs.Add(outcome);
            }
        }
        Window.Reconcile(key, Ledger);
        return landing;
    }

    /// <returns>True when the item failed for good, which the state must store at once.</returns>
    public bool Failed(WorkFailure failure)
    {
        if (!Window.Landed(failure.Item) || Ledger.IsSettled(Plan.KeyOf(failure.Item))) return false;
        logger.LogWarning("sweep {Sweep}: trial {Trial} shard {Shard} attempt {Attempt} failed on {Worker}: {Reason}",
            State.SweepId, failure.Item.Trial, failure.Item.Shard, failure.Item.Attempt, failure.Worker, failure.Reason);
        return failure.Retryable ? RetryOrGiveUp(failure.Item, failure.Reason) : GiveUp(failure.Item, failure.Reason);
    }

    /// <summary>Takes out of flight what outlived its timeout or its worker, to go out again.</summary>
    /// <returns>True when an item failed for good, which the state must store at once.</returns>
    public bool Expire(IReadOnlySet<string> liveWorkers, DateTime now)
    {
        var gaveUp = false;
        foreach (var expired in Window.Expire(liveWorkers, now))
        {
            if (expired.Lost) workersLost.Add(expired.Worker);
            logger.LogWarning("sweep {Sweep}: trial {Trial} shard {Shard}: {Reason}", State.SweepId, expired.Item.Trial, expired.Item.Shard, expired.Reason);
            gaveUp |= RetryOrGiveUp(expired.Item, expired.Reason);
        }
        return gaveUp;
    }

    bool RetryOrGiveUp(WorkItem item, string reason)
    {
        if (!Window.Retry(item)) return GiveUp(item, $"{reason} (after {item.Attempt} attempts)");
        SweepTelemetry.Retries.Add(1);
        State.Retries++;
        Dirty = true;
        return false;
    }

    /// <summary>Logs the item as failed, then counts it: the log is the record, and only what it holds is counted.</summary>
    bool GiveUp(WorkItem item, string reason)
    {
        var key = Plan.KeyOf(item);
        if (Ledger.IsSettled(key)) return false;
        var failure = new FailedWorkItem(item.Trial, item.Shard, item.Attempt, reason, item.Part);
        try { FailureLog.Append(failure); }
        catch (IOException e)
        {
            Unwritable = CannotWrite(e);
            Window.Reconcile(key, Ledger);
            return false;
        }
        Ledger.Fail(item.Trial, item.Shard, item.Part, reason);
        SweepTelemetry.Failures.Add(1);
        State.FailureCount++;
        if (State.FirstFailures.Count < SweepState.FirstFailuresKept) State.FirstFailures.Add(failure);
        return true;
    }

    /// <returns>The message of a sweep that stops because its run directory cannot be written.</returns>
    string CannotWrite(IOException e)
    {
        logger.LogError("sweep {Sweep}: the run directory {Directory} cannot be written ({Reason}); stopping", State.SweepId, State.RunDirectory, e.Message);
        return $"stopped: the run directory {State.RunDirectory} cannot be written ({e.Message}); " +
            "every result logged before is kept: make room, then resume the sweep";
    }

    /// <summary>
    /// Judges every trial whose rung is complete: those that lost stop, and the window sends what the others held back.
    /// Each decision goes into the state, is a span of the sweep's trace and a line of its log, and the new ones are
    /// returned, for the grain to store at once.
    /// </summary>
    public IReadOnlyList<RungDecision> Judge()
    {
        var made = Rungs.JudgeComplete(Ledger);
        foreach (var decision in made)
        {
            if (decision.Stopped) Ledger.Stop(decision.Trial, Rungs.Rungs[decision.Rung].Shards);
            Window.Judged(decision.Trial);
            State.Decisions.Add(JsonSerializer.Serialize(decision));
            var evidence = decision.Describe(LabelOf);
            SweepTelemetry.Decided(State.SweepId, State.TraceParent, LabelOf(decision.Trial), decision.Rung, decision.Stopped, evidence);
            logger.LogInformation("sweep {Sweep}: trial {Trial} {Evidence}", State.SweepId, decision.Trial, evidence);
        }
        return made;
    }

    /// <summary>How the sweep ends once every work item is settled; null while some is not.</summary>
    public (SweepStatus Status, string? Message)? Ending()
    {
        if (workersLost.Count >= maxWorkerDeaths)
            return (SweepStatus.Failed, $"{workersLost.Count} workers left the cluster while computing this sweep's work items " +
                $"({string.Join(", ", workersLost.Order(StringComparer.Ordinal))}): its model or data may be killing them, so the sweep fails " +
                $"rather than take down more (Saliency:MaxWorkerDeaths, {maxWorkerDeaths}); its results so far are kept");
        if (!Ledger.AllSettled) return null;
        if (Ledger.Done == 0) return (SweepStatus.Failed, $"every work item failed; first: {State.FirstFailures.FirstOrDefault()?.Reason}");
        return (SweepStatus.Completed, Ledger.Failed > 0 ? $"{Ledger.Failed} of {Plan.WorkItemCount} work items failed" : null);
    }

    /// <summary>Writes the results so far, then sets the status a session of the sweep ends with; a failure to write is told in the message.</summary>
    public async Task Conclude(SweepStatus status, string? message)
    {
        State.Message = message;
        try { await SweepResultsJob.WriteAsync(this, logger); }
        catch (Exception error)
        {
            logger.LogError(error, "sweep {Sweep}: writing results failed", State.SweepId);
            State.Message = $"{message}; results could not be written: {error.Message}".TrimStart(';', ' ');
        }
        State.Status = status;
        if (status is SweepStatus.Completed or SweepStatus.Failed or SweepStatus.Cancelled) State.Finished = DateTimeOffset.UtcNow;
        logger.LogInformation("sweep {Sweep} {Status}: {Done} done, {Failed} failed, {Stopped} stopped by its schedule, {Retries} retried, {Duplicates} duplicates dropped",
            State.SweepId, status, Ledger.Done, Ledger.Failed, Ledger.Stopped, State.Retries, State.DuplicatesDropped);
    }

    public string LabelOf(int trial) => Plan.Spec.Trials[trial].Label;

    public void Dispose()
    {
        gauges.Dispose();
        Log.Dispose();
        FailureLog.Dispose();
    }
}
