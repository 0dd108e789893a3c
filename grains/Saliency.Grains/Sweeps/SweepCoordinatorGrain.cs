using System.Diagnostics;
using System.Runtime.CompilerServices;
using Saliency.Grains.Telemetry;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;
using Saliency.Grains.Hosting;
using Saliency.Grains.Storage;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// Runs one sweep. Dispatch is at-least-once: an item whose worker left the cluster, failed
/// transiently or outlived the timeout goes out again, up to a bounded number of attempts. Results
/// are exactly-once: the <see cref="SweepLedger"/> counts each image of a (trial, shard) once, and only what it counts is logged.
/// An item that stops at its time budget reports the images it did, and the rest of its shard goes out as a new item.
/// At most twice each worker's slots are in flight, so the window stays bounded however big the sweep.
/// </summary>
public sealed class SweepCoordinatorGrain(
    [PersistentState("sweep", "sweeps")] IPersistentState<SweepState> state,
    IOptions<SaliencySiloOptions> options,
    ILogger<SweepCoordinatorGrain> logger) : Grain, ISweepCoordinatorGrain
{
    static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);
    static readonly TimeSpan DispatchTimeout = TimeSpan.FromSeconds(5);
    static readonly TimeSpan CheckpointPeriod = TimeSpan.FromSeconds(5);
    static readonly TimeSpan RecordRetryPeriod = TimeSpan.FromSeconds(2);
    const int InFlightPerSlot = 2;

    SweepLedger? ledger;
    DispatchWindow? window;
    readonly Dictionary<string, DateTime> unreachableWorkers = new();
    readonly Stopwatch session = new();
    SweepPlan? plan;
    ResultLog? log;
    IReadOnlyList<WorkerInfo> workers = [];
    IGrainTimer? timer;
    IGrainTimer? recordRetry;
    /// <summary>
    /// True while the first attempt to store and list the status a session ended with is under way. Progress
    /// reports that status only after it, so a client that sees a sweep end finds it so in the listing too;
    /// when the store is away the status shows at once and is recorded when the store is back.
    /// </summary>
    bool recordingEnd;
    IDisposable? gauges;
    bool dirty;
    DateTime lastCheckpoint = DateTime.UtcNow;


    /// <summary>The counts the telemetry gauges show, replaced whole on the grain's turns and read by the exporter.</summary>
    volatile StrongBox<SweepTelemetry.SweepCounters> published = new(default);

    void Publish()
    {
        var (total, done, failedItems) = (plan?.WorkItemCount ?? 0, ledger?.Done ?? 0, ledger?.Failed ?? 0);
        var inFlight = window?.InFlight ?? 0;
        published = new(new SweepTelemetry.SweepCounters(done, total, inFlight, Math.Max(0, total - done - failedItems - inFlight)));
    }

    string SweepId => this.GetPrimaryKeyString();
    SaliencySiloOptions Options => options.Value;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        gauges?.Dispose();
        log?.Dispose();
        return Task.CompletedTask;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists || state.State.Status is not (SweepStatus.Running or SweepStatus.Stopped)) return;
        await Restore();
        if (state.State.Status == SweepStatus.Running) StartDispatching();
    }

    public async Task<SweepTicket> Start(SweepSubmission submission)
    {
        if (state.RecordExists)
        {
            if (state.State.SpecText == submission.SpecText) return new SweepTicket(SweepId, state.State.RunDirectory);
            throw new InvalidOperationException($"sweep {SweepId} already exists with another spec");
        }
        var spec = SweepSpec.Parse(submission.SpecText, submission.SpecFile);
        new AllowedRoots(Options.AllowedRoots).Require(spec);
        StepLimit.Require(spec, Options.MaxSteps);
        // A silo that also computes sees the files its workers load: a missing model fails the submission, not every item.
        if (Options.Role.HostsWorkers()) ModelLoader.RequireFound(spec.Model.Reference);
        var imageCount = await Task.Run(() => CountImages(spec));
        var runDirectory = Path.GetFullPath(Path.Combine(Options.ArtifactRoot, SweepId));
        await new RunDirectoryFile(SweepId, spec.Name, submission.SpecFile).Create(runDirectory, submission.SpecText);

        state.State = new SweepState
        {
            SweepId = SweepId,
            Name = spec.Name,
            SpecText = submission.SpecText,
            SpecFile = submission.SpecFile,
            RunDirectory = runDirectory,
            Status = SweepStatus.Running,
            Submitted = DateTimeOffset.UtcNow,
            TraceParent = Activity.Current?.Id,
            ImageCount = imageCount,
        };
        await state.WriteAsSoleWriterAsync();
        Prepare(new SweepPlan(spec, imageCount));
        logger.LogInformation("sweep {Sweep}: {Trials} trials × {Shards} shards of {Size} over {Images} images",
            SweepId, plan!.TrialCount, plan.ShardCount, plan.ShardSize, imageCount);
        StartDispatching();
        await Pump();
        return new SweepTicket(SweepId, runDirectory);
    }

    public async Task<SweepProgress> Resume()
    {
        RequireSweep();
        switch (state.State.Status)
        {
            case SweepStatus.Cancelled:
                throw new InvalidOperationException($"sweep {SweepId} was cancelled; submit its spec again to run it anew");
            case SweepStatus.Completed:
                return Progress();
        }
        if (plan is null) await Restore();
        if (state.State.Status != SweepStatus.Running)
        {
            state.State.Status = SweepStatus.Running;
            state.State.Message = null;
            await state.WriteAsSoleWriterAsync();
            await SweepDirectory().SetStatus(SweepId, SweepStatus.Running);
        }
        StartDispatching();
        await Pump();
        await FinishIfDone();
        return Progress();
    }

    public async Task<SweepProgress> Stop()
    {
        RequireSweep();
        if (state.State.Status != SweepStatus.Running) return Progress();
        await Conclude(SweepStatus.Stopped, "stopped; work in flight still lands, and resume continues from there");
        return Progress();
    }

    public async Task<SweepProgress> Cancel()
    {
        if (!state.RecordExists && (await SweepDirectory().List()).FirstOrDefault(s => s.SweepId == SweepId) is { } listing)
        {
            // Listed, but it never started: what is left to cancel is the listing.
            await SweepDirectory().SetStatus(SweepId, SweepStatus.Cancelled);
            DeactivateOnIdle();
            return new SweepProgress(SweepId, listing.Name, SweepStatus.Cancelled, "", 0, 0, 0, 0, 0, 0, 0, 0,
                "cancelled; it had never started, so it has no run directory", []);
        }
        RequireSweep();
        if (state.State.Status is SweepStatus.Completed or SweepStatus.Cancelled) return Progress();
        window?.Clear();
        await Conclude(SweepStatus.Cancelled, "cancelled");
        return Progress();
    }

    public Task<bool> Exists() => Task.FromResult(state.RecordExists);

    public Task<SweepProgress> GetProgress()
    {
        RequireSweep();
        return Task.FromResult(Progress());
    }

    public async Task ReportDone(WorkReport report)
    {
        if (plan is null || !Accepting()) return;
        var key = plan.KeyOf(report.Item);
        // A report of an item sent earlier than the one now in flight leaves that one in flight, unless it completes the shard.
        window!.Landed(report.Item);
        var outcome = JsonSerializer.Deserialize<ShardOutcome>(report.Outcome)
            ?? throw new InvalidDataException($"empty outcome for trial {report.Item.Trial} shard {report.Item.Shard}");
        if (outcome.Trial != report.Item.Trial || outcome.Shard != report.Item.Shard)
            throw new InvalidDataException($"outcome of trial {outcome.Trial} shard {outcome.Shard} reported as trial {report.Item.Trial} shard {report.Item.Shard}");
        if (ledger!.IsFailed(key) || !ledger.Counts(outcome))
        {
            SweepTelemetry.Duplicates.Add(1);
            state.State.DuplicatesDropped++;
            dirty = true;
        }
        else if (!await Record(outcome)) return;
        window.Reconcile(key, ledger);
        await AfterChange();
    }

    /// <summary>
    /// Writes an outcome to the run directory and counts it. A directory that cannot be written (a full
    /// disk) stops the sweep rather than failing its items: nothing logged is lost, the outcome is
    /// computed again by a resume once the directory is writable, and only then.
    /// </summary>
    async Task<bool> Record(ShardOutcome outcome)
    {
        try
        {
            // Maps first: the log line is what makes the outcome count, so a map is never missing from a counted one.
            foreach (var map in outcome.Maps) MapStore.Write(state.State.RunDirectory, outcome.Trial, map);
            log!.Append(outcome);
        }
        catch (IOException error)
        {
            window!.Reconcile(plan!.KeyOf(outcome.Trial, outcome.Shard, outcome.Part ?? 0), ledger!);
            if (state.State.Status != SweepStatus.Running) return false;
            logger.LogError("sweep {Sweep}: the run directory {Directory} cannot be written ({Reason}); stopping", SweepId, state.State.RunDirectory, error.Message);
            await Conclude(SweepStatus.Stopped,
                $"stopped: the run directory {state.State.RunDirectory} cannot be written ({error.Message}); " +
                "every result logged before is kept: make room, then resume the sweep");
            return false;
        }
        ledger!.Add(outcome);
        return true;
    }

    public Task ReportProgress(WorkProgress progress)
    {
        window?.Progressed(progress.Item, progress.Worker, progress.ImagesDone);
        return Task.CompletedTask;
    }

    public async Task ReportFailed(WorkFailure failure)
    {
        if (plan is null || !Accepting()) return;
        var key = plan.KeyOf(failure.Item);
        if (!window!.Landed(failure.Item) || ledger!.IsSettled(key)) return;
        logger.LogWarning("sweep {Sweep}: trial {Trial} shard {Shard} attempt {Attempt} failed on {Worker}: {Reason}",
            SweepId, failure.Item.Trial, failure.Item.Shard, failure.Item.Attempt, failure.Worker, failure.Reason);
        if (failure.Retryable) await RetryOrGiveUp(failure.Item, failure.Reason);
        else await GiveUp(failure.Item, failure.Reason);
        await AfterChange();
    }

    public Task<IReadOnlyList<ResultFile>> ListResultFiles()
    {
        RequireSweep();
        var root = state.State.RunDirectory;
        IReadOnlyList<ResultFile> files = Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(f => new ResultFile(Path.GetRelativePath(root, f), new FileInfo(f).Length))
                .OrderBy(f => f.Path, StringComparer.Ordinal).ToArray()
            : [];
        return Task.FromResult(files);
    }

    public async Task<byte[]> ReadResultFile(string path, long offset, int count)
    {
        RequireSweep();
        var root = Path.GetFullPath(state.State.RunDirectory);
        var full = Path.GetFullPath(Path.Combine(root, path));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
            throw new FileNotFoundException($"'{path}' is not a result file of sweep {SweepId}");
        await using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[Math.Clamp(count, 0, 4 << 20)];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
        return read == buffer.Length ? buffer : buffer[..read];
    }

    void RequireSweep()
    {
        if (!state.RecordExists)
        {
            DeactivateOnIdle();
            throw new KeyNotFoundException($"no sweep with id '{SweepId}'");
        }
    }

    bool Accepting() => state.State.Status is SweepStatus.Running or SweepStatus.Stopped;

    static int CountImages(SweepSpec spec)
    {
        // Lists the files; no image is decoded here.
        var count = spec.OpenImages().Count;
        if (count == 0) throw new ArgumentException($"data '{spec.Data}' selects no images");
        return count;
    }

    void Prepare(SweepPlan newPlan)
    {
        plan = newPlan;
        ledger = new SweepLedger(newPlan, state.State.Failures);
        window = new DispatchWindow(newPlan, Options.MaxAttempts, Options.WorkItemTimeout);
        log?.Dispose();
        log = new ResultLog(state.State.RunDirectory);
    }

    /// <summary>Rebuilds what is done from the result log: the log is the record, the persisted state only its frame.</summary>
    async Task Restore()
    {
        var spec = SweepSpec.Parse(state.State.SpecText, state.State.SpecFile);
        var imageCount = state.State.ImageCount > 0 ? state.State.ImageCount : await Task.Run(() => CountImages(spec));
        Prepare(new SweepPlan(spec, imageCount));
        // Streamed off the grain's thread into a ledger of its own: the log can hold millions of results that need
        // not be in memory at once, and calls that interleave meanwhile (progress) read the empty one, never one
        // that another thread is filling. It replaces that one on the grain's turn.
        var (restoring, failures, logPath) = (plan!, state.State.Failures.ToList(), log!.Path);
        ledger = await Task.Run(() =>
        {
            var restored = new SweepLedger(restoring, failures);
            foreach (var entry in ResultLog.ReadEntries(logPath)) restored.Add(entry.Outcome, entry.LoggedAt);
            return restored;
        });
        Publish();
        logger.LogInformation("sweep {Sweep} restored: {Done} of {Total} work items done", SweepId, ledger!.Done, plan!.WorkItemCount);
    }

    void StartDispatching()
    {
        Publish();
        // The exporter reads the gauges on a thread of its own, so they read the counters published on the grain's turns.
        gauges ??= SweepTelemetry.TrackSweep(SweepId, () => published.Value);
        if (!session.IsRunning) session.Start();
        timer ??= this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TickPeriod, TickPeriod) { KeepAlive = true });
    }

    void StopDispatching()
    {
        gauges?.Dispose();
        gauges = null;
        timer?.Dispose();
        timer = null;
        if (session.IsRunning)
        {
            session.Stop();
            state.State.EarlierSeconds += session.Elapsed.TotalSeconds;
            session.Reset();
        }
    }

    async Task Tick(CancellationToken cancellation)
    {
        if (plan is null || state.State.Status != SweepStatus.Running) return;
        await RefreshWorkers();
        foreach (var expired in window!.Expire(workers.Select(w => w.Silo).ToHashSet(), DateTime.UtcNow))
        {
            logger.LogWarning("sweep {Sweep}: trial {Trial} shard {Shard}: {Reason}", SweepId, expired.Item.Trial, expired.Item.Shard, expired.Reason);
            await RetryOrGiveUp(expired.Item, expired.Reason);
        }
        await Pump();
        await FinishIfDone();
        Publish();
        if (DateTime.UtcNow - lastCheckpoint <= CheckpointPeriod) return;
        if (dirty) await Checkpoint();
        else
        {
            log?.Sync();
            lastCheckpoint = DateTime.UtcNow;
        }
    }

    async Task RetryOrGiveUp(WorkItem item, string reason)
    {
        if (!window!.Retry(item))
        {
            await GiveUp(item, $"{reason} (after {item.Attempt} attempts)");
            return;
        }
        SweepTelemetry.Retries.Add(1);
        state.State.Retries++;
        dirty = true;
    }

    async Task GiveUp(WorkItem item, string reason)
    {
        if (!ledger!.Fail(item.Trial, item.Shard, item.Part, reason)) return;
        SweepTelemetry.Failures.Add(1);
        state.State.Failures.Add(new FailedWorkItem(item.Trial, item.Shard, item.Attempt, reason, item.Part));
        await Checkpoint();
    }

    async Task AfterChange()
    {
        Publish();
        if (await FinishIfDone()) return;
        await Pump();
    }

    async Task RefreshWorkers() => workers = await GrainFactory.GetGrain<IWorkerRegistryGrain>(0).LiveWorkers();

    /// <summary>Fills every live worker up to its share of the window.</summary>
    async Task Pump()
    {
        if (plan is null || state.State.Status != SweepStatus.Running) return;
        if (workers.Count == 0) await RefreshWorkers();
        var job = new SweepJob(SweepId, state.State.SpecText, state.State.SpecFile);
        foreach (var worker in workers)
        {
            if (unreachableWorkers.TryGetValue(worker.Silo, out var since) && DateTime.UtcNow - since < TimeSpan.FromSeconds(5)) continue;
            var items = window!.Next(worker.Slots * InFlightPerSlot - window.InFlightOn(worker.Silo), worker.Silo, workers.Count, ledger!);
            if (items.Count == 0) continue;
            window.Sent(items, worker.Silo, DateTime.UtcNow);
            using var span = SweepTelemetry.Source.StartActivity("dispatch", ActivityKind.Producer, SweepTrace());
            span?.SetTag("saliency.sweep", SweepId);
            span?.SetTag("saliency.worker", worker.Name);
            span?.SetTag("saliency.work_items", string.Join(" ", items.Select(i => $"{i.Trial}/{i.Shard}#{i.Attempt}")));
            try
            {
                await GrainFactory.GetGrain<IShardWorkerGrain>(worker.Silo).Accept(job, items).WaitAsync(DispatchTimeout);
                unreachableWorkers.Remove(worker.Silo);
            }
            catch (Exception error)
            {
                span?.SetStatus(ActivityStatusCode.Error, error.Message);
                logger.LogWarning("sweep {Sweep}: worker {Worker} did not accept work: {Reason}", SweepId, worker.Name, error.Message);
                unreachableWorkers[worker.Silo] = DateTime.UtcNow;
                window.NotAccepted(items);
            }
        }
    }


    ActivityContext SweepTrace() =>
        ActivityContext.TryParse(state.State.TraceParent, null, out var context) ? context : default;


    async Task<bool> FinishIfDone()
    {
        if (plan is null || state.State.Status != SweepStatus.Running || !ledger!.AllSettled) return false;
        var (done, failed) = (ledger.Done, ledger.Failed);
        var allFailed = done == 0;
        await Conclude(allFailed ? SweepStatus.Failed : SweepStatus.Completed,
            allFailed ? $"every work item failed; first: {state.State.Failures.FirstOrDefault()?.Reason}"
            : failed > 0 ? $"{failed} of {plan.WorkItemCount} work items failed" : null);
        return true;
    }

    /// <summary>Ends this session of the sweep: writes the results so far, then the status, so a client that sees the status finds the files.</summary>
    async Task Conclude(SweepStatus status, string? message)
    {
        StopDispatching();
        state.State.Message = message;
        try { await WriteResultsAsync(); }
        catch (Exception error)
        {
            logger.LogError(error, "sweep {Sweep}: writing results failed", SweepId);
            state.State.Message = $"{message}; results could not be written: {error.Message}".TrimStart(';', ' ');
        }
        state.State.Status = status;
        if (status is SweepStatus.Completed or SweepStatus.Failed or SweepStatus.Cancelled) state.State.Finished = DateTimeOffset.UtcNow;
        logger.LogInformation("sweep {Sweep} {Status}: {Done} done, {Failed} failed, {Retries} retried, {Duplicates} duplicates dropped",
            SweepId, status, ledger?.Done, ledger?.Failed, state.State.Retries, state.State.DuplicatesDropped);
        recordingEnd = true;
        await RecordStatus();
    }

    /// <summary>
    /// Persists the status a session ended with and lists it in the directory. The grain store may be
    /// away (a Redis restart) just when a sweep ends: then it is tried again every few seconds until it
    /// lands, rather than leaving the sweep listed as running and its name taken.
    /// </summary>
    async Task RecordStatus()
    {
        try
        {
            await Checkpoint();
            await SweepDirectory().SetStatus(SweepId, state.State.Status);
            recordingEnd = false;
            recordRetry?.Dispose();
            recordRetry = null;
        }
        catch (Exception error)
        {
            recordingEnd = false;
            if (recordRetry is not null) return;
            logger.LogWarning("sweep {Sweep}: recording status {Status} failed ({Reason}); trying again every {Period}",
                SweepId, state.State.Status, error.Message, RecordRetryPeriod);
            recordRetry = this.RegisterGrainTimer(_ => RecordStatus(), new GrainTimerCreationOptions(RecordRetryPeriod, RecordRetryPeriod) { KeepAlive = true });
        }
    }

    /// <summary>Builds the report here, on the grain's turn, and writes it on the thread pool.</summary>
    async Task WriteResultsAsync()
    {
        if (plan is null || log is null) return;
        await SweepResultsJob.WriteAsync(plan, ledger!, state.State.RunDirectory, log.Path, logger);
    }

    async Task Checkpoint()
    {
        log?.Sync();
        dirty = true;
        await state.WriteAsSoleWriterAsync();
        dirty = false;
        lastCheckpoint = DateTime.UtcNow;
    }

    ISweepDirectoryGrain SweepDirectory() => GrainFactory.GetGrain<ISweepDirectoryGrain>(0);

    SweepProgress Progress() => SweepProgressView.Of(SweepId, state.State, state.State.EarlierSeconds + session.Elapsed.TotalSeconds,
        plan is null ? null : (plan, ledger!, window!), recordingEnd);
}
