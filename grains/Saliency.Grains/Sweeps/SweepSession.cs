using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Saliency.Attribution.Data;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Telemetry;
using WorkItem = Saliency.Attribution.Sweeps.Engine.WorkItem;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// A sweep that has been prepared: its state, its <see cref="SweepEngine"/> (plan, ledger, rungs, dispatch window), the
/// result log and the failure log. It hands what workers report to the engine, carries out what the engine decides (writes
/// what it is to record, counts retries and duplicates, logs and traces each rung decision) and changes the state to
/// match; the coordinator grain around it decides when that state is stored and makes every call.
/// </summary>
internal sealed class SweepSession : IDisposable
{
    readonly ILogger logger;
    readonly SweepGauges gauges = new();
    readonly Stopwatch running = new();

    SweepSession(SweepState state, SweepEngine engine, SaliencySiloOptions options, ILogger logger)
    {
        (State, Engine, this.logger) = (state, engine, logger);
        Roots = new SpecPolicy(options).Roots;
        maxWorkerDeaths = options.MaxWorkerDeaths;
        Log = new ResultLog(state.RunDirectory);
        FailureLog = new FailureLog(state.RunDirectory);
    }

    public SweepState State { get; }
    public SweepEngine Engine { get; }
    public SweepPlan Plan => Engine.Plan;
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
    public void Publish() => gauges.Publish(Plan.WorkItemCount, Engine.Done, Engine.Failed + Engine.Stopped, Engine.InFlight);

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

    /// <summary>How many workers that left the cluster holding this sweep's work items fail the sweep.</summary>
    readonly int maxWorkerDeaths;

    /// <summary>Rung decisions the engine made that the state has yet to hold; <see cref="Judge"/> takes them.</summary>
    readonly List<RungDecision> undecided = new();

    /// <summary>Where this silo reads the sweep's files: its images for the comparison sheet are opened through it.</summary>
    public AllowedRoots Roots { get; }

    /// <summary>A sweep about to start: nothing done.</summary>
    public static SweepSession Start(SweepState state, SweepPlan plan, SaliencySiloOptions options, ILogger logger) =>
        new(state, new SweepEngine(plan, options.MaxAttempts, options.WorkItemTimeout), options, logger);

    /// <summary>
    /// Rebuilds what failed and what is done from the failure log and the result log, on the thread pool: the logs are
    /// the record, the persisted state only its frame, and they can hold millions of lines that need not be in memory at
    /// once. Rung decisions come from the state; a rung that completed after the last decision was stored is judged at the
    /// next <see cref="Judge"/>. A state written by an earlier version is brought up to this one (<see cref="SweepStateVersions"/>):
    /// its failures are logged, those not logged already, and its rung decisions typed.
    /// </summary>
    /// <exception cref="InvalidDataException">The state, or a log, cannot be read; the message says which and why.</exception>
    public static async Task<SweepSession> RestoreAsync(SweepState state, SaliencySiloOptions options, ILogger logger)
    {
        var (session, failures, upgraded) = await Task.Run(() =>
        {
            var spec = ParsedSpecs.Parse(state.SpecText, state.SpecFile);
            var plan = new SweepPlan(spec, state.ImageCount > 0 ? state.ImageCount : SweepAdmission.CountImages(spec, new SpecPolicy(options).Roots));
            var decided = SweepStateVersions.Decisions(state);
            var logged = FailureLog.Read(FailureLog.PathIn(state.RunDirectory)).ToList();
            var unlogged = SweepStateVersions.Unlogged(state, logged);
            var engine = new SweepEngine(plan, options.MaxAttempts, options.WorkItemTimeout, decided, logged.Concat(unlogged));
            foreach (var entry in ResultLog.ReadEntries(ResultLog.PathIn(state.RunDirectory))) engine.Recall(entry.Outcome, entry.LoggedAt);
            var restored = new SweepSession(state, engine, options, logger);
            try
            {
                foreach (var failure in unlogged) restored.FailureLog.Append(failure);
            }
            catch
            {
                restored.Dispose();
                throw;
            }
            return (restored, logged.Concat(unlogged).Take(SweepState.FirstFailuresKept).Select(StoredFailure.Of).ToList(), state.EarlierDecisions.Count > 0);
        });
        // On the caller's turn: the state is the grain's, and another of its calls may be storing it.
        session.Recount(failures);
        if (upgraded) session.TypeDecisions();
        return session;
    }

    /// <summary>Holds the rung decisions that a state from before typed decisions kept as JSON as typed ones, in the order made.</summary>
    void TypeDecisions()
    {
        State.Decisions = Engine.Decisions.ToList();
        State.EarlierDecisions.Clear();
        Dirty = true;
    }

    /// <summary>Counts the failures in the state as the failure log holds them, and empties what a state from before the log kept.</summary>
    void Recount(List<StoredFailure> first)
    {
        if (State.EarlierFailures.Count == 0 && State.FailureCount == Engine.Failed) return;
        State.EarlierFailures.Clear();
        State.FailureCount = Engine.Failed;
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
        var item = report.Item.ToEngine();
        var outcome = Wire.Outcome(report);
        // Checked whole before anything is written: what the engine refuses leaves the item in flight, to time out and go out again.
        switch (Engine.OnResult(item, outcome))
        {
            case ResultDecision.Stopped:
                return Landing.Dropped;
            case ResultDecision.Duplicate:
                SweepTelemetry.Duplicates.Add(1);
                State.DuplicatesDropped++;
                Dirty = true;
                return Landing.Dropped;
        }
        try
        {
            foreach (var map in outcome.Maps) MapStore.Write(State.RunDirectory, outcome.Trial, map);
            Log.Append(outcome);
        }
        catch (IOException e)
        {
            Engine.Unrecorded(item);
            error = CannotWrite(e);
            return Landing.Unwritable;
        }
        undecided.AddRange(Engine.Recorded(outcome));
        return Landing.Counted;
    }

    /// <returns>True when the item failed for good, which the state must store at once.</returns>
    public bool Failed(WorkFailure failure)
    {
        var item = failure.Item.ToEngine();
        var decision = Engine.OnFailure(item, failure.Reason, failure.Retryable);
        if (decision.Verdict == FailureVerdict.Ignore) return false;
        logger.LogWarning("sweep {Sweep}: trial {Trial} shard {Shard} attempt {Attempt} failed on {Worker}: {Reason}",
            State.SweepId, item.Trial, item.Shard, item.Attempt, failure.Worker, failure.Reason);
        return CarryOut(item, decision);
    }

    /// <summary>Takes out of flight what outlived its timeout or its worker, to go out again.</summary>
    /// <returns>True when an item failed for good, which the state must store at once.</returns>
    public bool Expire(IReadOnlySet<string> liveWorkers, DateTime now)
    {
        var gaveUp = false;
        foreach (var expiry in Engine.OnTick(liveWorkers, now))
        {
            logger.LogWarning("sweep {Sweep}: trial {Trial} shard {Shard}: {Reason}", State.SweepId, expiry.Item.Trial, expiry.Item.Shard, expiry.Reason);
            gaveUp |= CarryOut(expiry.Item, expiry.Decision);
        }
        return gaveUp;
    }

    /// <summary>Counts a retry, or logs a failure given up and then lets the engine count it: the log is the record, and only what it holds is counted.</summary>
    /// <returns>True when the item failed for good.</returns>
    bool CarryOut(WorkItem item, FailureDecision decision)
    {
        if (decision.Verdict == FailureVerdict.Retry)
        {
            SweepTelemetry.Retries.Add(1);
            State.Retries++;
            Dirty = true;
            return false;
        }
        if (decision.Failure is not { } failure) return false;
        try { FailureLog.Append(failure); }
        catch (IOException e)
        {
            Unwritable = CannotWrite(e);
            Engine.Unrecorded(item);
            return false;
        }
        undecided.AddRange(Engine.FailureRecorded(failure));
        SweepTelemetry.Failures.Add(1);
        State.FailureCount++;
        if (State.FirstFailures.Count < SweepState.FirstFailuresKept) State.FirstFailures.Add(StoredFailure.Of(failure));
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
    /// The rung decisions made since the last call, those of rungs that completed by then included: those that lost
    /// stopped, and the others' held-back work goes out. Each decision goes into the state, is a span of the sweep's trace
    /// and a line of its log, and the new ones are returned, for the grain to store at once.
    /// </summary>
    public IReadOnlyList<RungDecision> Judge()
    {
        undecided.AddRange(Engine.Judge());
        var made = undecided.ToList();
        undecided.Clear();
        foreach (var decision in made)
        {
            State.Decisions.Add(decision);
            var evidence = decision.Describe(LabelOf);
            SweepTelemetry.Decided(State.SweepId, State.TraceParent, LabelOf(decision.Trial), decision.Rung, decision.Stopped, evidence);
            logger.LogInformation("sweep {Sweep}: trial {Trial} {Evidence}", State.SweepId, decision.Trial, evidence);
        }
        return made;
    }

    /// <summary>How the sweep ends once every work item is settled; null while some is not.</summary>
    public (SweepStatus Status, string? Message)? Ending()
    {
        var lost = Engine.WorkersLost;
        if (lost.Count >= maxWorkerDeaths)
            return (SweepStatus.Failed, $"{lost.Count} workers left the cluster while computing this sweep's work items " +
                $"({string.Join(", ", lost.Order(StringComparer.Ordinal))}): its model or data may be killing them, so the sweep fails " +
                $"rather than take down more (Saliency:MaxWorkerDeaths, {maxWorkerDeaths}); its results so far are kept");
        if (!Engine.AllSettled) return null;
        if (Engine.Done == 0) return (SweepStatus.Failed, $"every work item failed; first: {State.FirstFailures.FirstOrDefault()?.Reason}");
        return (SweepStatus.Completed, Engine.Failed > 0 ? $"{Engine.Failed} of {Plan.WorkItemCount} work items failed" : null);
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
            State.SweepId, status, Engine.Done, Engine.Failed, Engine.Stopped, State.Retries, State.DuplicatesDropped);
    }

    public string LabelOf(int trial) => Plan.Spec.Trials[trial].Label;

    public void Dispose()
    {
        gauges.Dispose();
        Log.Dispose();
        FailureLog.Dispose();
    }
}
