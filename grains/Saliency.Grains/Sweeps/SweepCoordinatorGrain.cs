using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Placement;
using Saliency.Grains.Storage;
using Saliency.Grains.Telemetry;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// Runs one sweep: the glue between its persisted state, its <see cref="SweepSession"/> and the cluster, keeping the
/// timers and making the calls. Dispatch is at-least-once (<see cref="DispatchWindow"/>); results are exactly-once, as
/// the <see cref="SweepLedger"/> counts each image of a (trial, shard) once and only what it counts is logged. Its logs
/// are files on its silo's machine, so every sweep is placed on the one coordinator silo (<see cref="CoordinatorSilo"/>).
/// </summary>
[CoordinatorSiloPlacement]
internal sealed class SweepCoordinatorGrain(
    [PersistentState("sweep", "sweeps")] IPersistentState<SweepState> state,
    IOptions<SaliencySiloOptions> options,
    ILogger<SweepCoordinatorGrain> logger) : Grain, ISweepCoordinatorGrain
{
    static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);

    SweepSession? session;
    WorkerDispatch? dispatch;
    IGrainTimer? timer;
    SweepEndRecorder? endRecorder;
    SweepCheckpoints? checkpoints;
    /// <summary>True while <see cref="Start"/> admits the sweep and stores its first state; its caller may have given up waiting.</summary>
    bool starting;

    string SweepId => this.GetPrimaryKeyString();
    SweepState State => state.State;
    bool Running => session is not null && State.Status == SweepStatus.Running;
    bool Accepting => State.Status is SweepStatus.Running or SweepStatus.Stopped;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        session?.Dispose();
        return Task.CompletedTask;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.RecordExists || !Accepting) return;
        await Restore();
        if (State.Status == SweepStatus.Running) StartDispatching();
    }

    public async Task<SweepTicket> Start(SweepSubmission submission)
    {
        SweepIds.Require(SweepId);
        if (state.RecordExists)
            return State.SpecText == submission.SpecText ? new SweepTicket(SweepId, State.RunDirectory)
                : throw new InvalidOperationException($"sweep {SweepId} already exists with another spec");
        SweepPlan plan;
        starting = true;
        try
        {
            (state.State, plan) = await SweepAdmission.Admit(SweepId, submission, options.Value);
            await state.WriteAsSoleWriterAsync();
        }
        finally
        {
            starting = false;
        }
        Use(SweepSession.Start(State, plan, options.Value, logger));
        logger.LogInformation("sweep {Sweep}: {Trials} trials × {Shards} shards of {Size} over {Images} images, schedule {Schedule}",
            SweepId, plan.TrialCount, plan.ShardCount, plan.ShardSize, plan.ImageCount, plan.Spec.Schedule);
        StartDispatching();
        await AfterChange();
        return new SweepTicket(SweepId, State.RunDirectory);
    }

    public async Task<SweepProgress> Resume()
    {
        RequireSweep();
        if (State.Status == SweepStatus.Cancelled)
            throw new InvalidOperationException($"sweep {SweepId} was cancelled; submit its spec again to run it anew");
        if (State.Status == SweepStatus.Completed) return Progress();
        if (session is null) await Restore();
        if (State.Status != SweepStatus.Running)
        {
            (State.Status, State.Message) = (SweepStatus.Running, null);
            await state.WriteAsSoleWriterAsync();
            await SweepDirectory().SetStatus(SweepId, SweepStatus.Running);
        }
        StartDispatching();
        await AfterChange();
        return Progress();
    }

    public async Task<SweepProgress> Stop()
    {
        RequireSweep();
        if (State.Status == SweepStatus.Running) await Conclude(SweepStatus.Stopped, "stopped; work in flight still lands, and resume continues from there");
        return Progress();
    }

    public async Task<SweepProgress> Cancel()
    {
        if (!state.RecordExists && (await SweepDirectory().List()).FirstOrDefault(s => s.SweepId == SweepId) is { } listing)
        {
            // Listed, but it never started: what is left to cancel is the listing.
            await SweepDirectory().SetStatus(SweepId, SweepStatus.Cancelled);
            DeactivateOnIdle();
            return SweepProgressView.NeverStarted(listing);
        }
        RequireSweep();
        if (State.Status is SweepStatus.Completed or SweepStatus.Cancelled) return Progress();
        session?.Engine.Cancel();
        await Conclude(SweepStatus.Cancelled, "cancelled");
        return Progress();
    }

    public Task<bool> Exists() => Task.FromResult(state.RecordExists || starting);

    public Task<SweepProgress> GetProgress()
    {
        RequireSweep();
        return Task.FromResult(Progress());
    }

    public async Task ReportDone(WorkReport report)
    {
        if (session is not { } s || !Accepting) return;
        // A full disk stops the sweep rather than failing its items; a resume computes the outcome again.
        if (s.Land(report, out var unwritable) is not SweepSession.Landing.Unwritable) await AfterChange();
        else if (State.Status == SweepStatus.Running) await Conclude(SweepStatus.Stopped, unwritable);
    }

    public Task ReportProgress(WorkProgress progress)
    {
        session?.Engine.OnProgress(progress.Item.ToEngine(), progress.Worker, progress.ImagesDone);
        return Task.CompletedTask;
    }

    public async Task ReportFailed(WorkFailure failure)
    {
        if (session is not { } s || !Accepting) return;
        if (s.Failed(failure)) await Checkpoint();
        if (!await StoppedUnwritable(s)) await AfterChange();
    }

    public Task<IReadOnlyList<ResultFile>> ListResultFiles() => Task.FromResult(Reader().List());

    public Task<byte[]> ReadResultFile(string path, long offset, int count) => Reader().Read(path, offset, count);

    RunDirectoryReader Reader()
    {
        RequireSweep();
        return new RunDirectoryReader(SweepId, RunDirectories.Require(SweepId, State.RunDirectory));
    }

    RunDirectories RunDirectories => new(options.Value.ArtifactRoot);

    void RequireSweep()
    {
        SweepIds.Require(SweepId);
        if (state.RecordExists) return;
        if (starting) throw new InvalidOperationException($"sweep {SweepId} is starting: its submission is being admitted");
        DeactivateOnIdle();
        throw new KeyNotFoundException($"no sweep with id '{SweepId}'");
    }

    void Use(SweepSession prepared)
    {
        session?.Dispose();
        session = prepared;
        dispatch = new WorkerDispatch(SweepId, GrainFactory, prepared, logger);
        prepared.Publish();
    }

    async Task Restore()
    {
        // A state read back from shared storage is not trusted to name where this silo writes, nor to be of this machine.
        State.RunDirectory = RunDirectories.RequirePresent(SweepId, State.RunDirectory);
        // Calls that interleave meanwhile find no session, as before the sweep was prepared; it is put in place on the grain's turn.
        Use(await SweepSession.RestoreAsync(State, options.Value, logger));
        logger.LogInformation("sweep {Sweep} restored: {Done} of {Total} work items done, {Stopped} stopped by its schedule",
            SweepId, session!.Engine.Done, session.Plan.WorkItemCount, session.Engine.Stopped);
        await Judge();
    }

    /// <summary>Judges the trials whose rung is complete; each decision is stored with the state at once, so a restarted coordinator keeps it.</summary>
    async Task Judge()
    {
        if (session!.Judge().Count > 0) await Checkpoint();
    }

    void StartDispatching()
    {
        session?.Resume();
        timer ??= this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TickPeriod, TickPeriod) { KeepAlive = true });
    }

    void StopDispatching()
    {
        session?.Pause();
        timer?.Dispose();
        timer = null;
    }

    async Task Tick(CancellationToken cancellation)
    {
        if (!Running) return;
        if (session!.Expire(await dispatch!.RefreshAsync(), DateTime.UtcNow)) await Checkpoint();
        if (await StoppedUnwritable(session!)) return;
        await AfterChange();
        if (session is not null) await Checkpoints.WriteIfDue(session);
    }

    /// <summary>After anything landed or failed: judge what a complete rung allows, finish if all is settled, or send more.</summary>
    async Task AfterChange()
    {
        if (session is null) return;
        await Judge();
        session.Publish();
        if (Running && session.Ending() is var (status, message)) await Conclude(status, message);
        else if (Running) await dispatch!.PumpAsync(new SweepJob(SweepId, State.SpecText, State.SpecFile), SweepTelemetry.SweepTrace(State.TraceParent));
    }

    /// <summary>A failure that could not be logged stops the sweep, as a result that could not be: a resume sends its item again.</summary>
    async Task<bool> StoppedUnwritable(SweepSession s)
    {
        if (s.TakeUnwritable() is not { } unwritable) return false;
        if (State.Status == SweepStatus.Running) await Conclude(SweepStatus.Stopped, unwritable);
        return true;
    }

    /// <summary>Ends this session of the sweep: writes the results so far, then the status, so a client that sees the status finds the files.</summary>
    async Task Conclude(SweepStatus status, string? message)
    {
        StopDispatching();
        if (session is not null) await session.Conclude(status, message);
        else (State.Status, State.Message) = (status, message);
        await EndRecorder.Record(status);
    }

    /// <summary>Stores and lists the status now held, whatever it is by the time a retry runs.</summary>
    SweepEndRecorder EndRecorder => endRecorder ??= new SweepEndRecorder(SweepId, async () =>
    {
        await Checkpoint();
        await SweepDirectory().SetStatus(SweepId, State.Status);
    }, retry => this.RegisterGrainTimer(_ => retry(), new GrainTimerCreationOptions(SweepEndRecorder.RetryPeriod, SweepEndRecorder.RetryPeriod) { KeepAlive = true }), logger);

    SweepCheckpoints Checkpoints => checkpoints ??= new SweepCheckpoints(state.WriteAsSoleWriterAsync, () => DateTime.UtcNow);

    Task Checkpoint() => Checkpoints.Write(session);

    ISweepDirectoryGrain SweepDirectory() => GrainFactory.GetGrain<ISweepDirectoryGrain>(0);

    SweepProgress Progress() => SweepProgressView.Of(SweepId, State, session?.ElapsedSeconds ?? State.EarlierSeconds, session, endRecorder?.Recording ?? false);
}
