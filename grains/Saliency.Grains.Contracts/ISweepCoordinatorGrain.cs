using Orleans.Concurrency;

namespace Saliency.Grains.Contracts;

/// <summary>
/// One per sweep, keyed by the sweep id: expands trials, cuts shards, dispatches work items to
/// workers, keeps the results exactly once and the sweep's state durable.
/// </summary>
public interface ISweepCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Starts a sweep the directory grain has listed; for silos alone, so a sweep's id is always one the directory minted.</summary>
    Task<SweepTicket> Start(SweepSubmission submission);

    /// <summary>Continues a stopped or interrupted sweep without recomputing finished work items.</summary>
    [ClientFacing]
    Task<SweepProgress> Resume();

    /// <summary>Stops dispatching; work in flight still lands. A stopped sweep can be resumed.</summary>
    [ClientFacing]
    Task<SweepProgress> Stop();

    /// <summary>Cancels the sweep; a listed sweep whose coordinator never kept a state is marked cancelled in the list.</summary>
    [ClientFacing]
    Task<SweepProgress> Cancel();

    [AlwaysInterleave]
    [ClientFacing]
    Task<SweepProgress> GetProgress();

    /// <summary>Whether this sweep's coordinator has kept a state, or is admitting the sweep now: false for an id that never started.</summary>
    [AlwaysInterleave]
    Task<bool> Exists();

    Task ReportDone(WorkReport report);

    Task ReportFailed(WorkFailure failure);

    /// <summary>How far a work item in flight has come, so progress and the ETA move before its first result.</summary>
    [OneWay, AlwaysInterleave]
    Task ReportProgress(WorkProgress progress);

    [AlwaysInterleave]
    [ClientFacing]
    Task<IReadOnlyList<ResultFile>> ListResultFiles();

    /// <summary>Reads up to <paramref name="count"/> bytes of a result file, so results reach a client on another machine.</summary>
    [AlwaysInterleave]
    [ClientFacing]
    Task<byte[]> ReadResultFile(string path, long offset, int count);
}

/// <summary>One per worker silo, keyed by that silo's address: accepts work items and computes them off Orleans' scheduler.</summary>
public interface IShardWorkerGrain : IGrainWithStringKey
{
    /// <summary>Queues the items and returns at once; each is reported to the sweep's coordinator when done.</summary>
    Task Accept(SweepJob job, IReadOnlyList<WorkItem> items);
}

/// <summary>The cluster's list of live worker silos (key 0). Workers announce themselves periodically.</summary>
public interface IWorkerRegistryGrain : IGrainWithIntegerKey
{
    Task Announce(WorkerInfo worker);

    [AlwaysInterleave]
    [ClientFacing]
    Task<IReadOnlyList<WorkerInfo>> LiveWorkers();
}

/// <summary>The cluster's durable list of sweeps (key 0): names are unique, unfinished sweeps are resumed after a restart.</summary>
public interface ISweepDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Gives the sweep an id and starts its coordinator. Fails, naming the sweep that holds it, when
    /// the spec's name belongs to a sweep still running; fails with the spec's own error when it is invalid.
    /// </summary>
    /// <remarks>
    /// Its caller waits longer than the silos' 30 s: a start whose own call times out is answered, naming the sweep,
    /// before the submitter's call does.
    /// </remarks>
    [ClientFacing]
    [ResponseTimeout("00:00:45")]
    Task<SweepTicket> Submit(SweepSubmission submission);

    Task SetStatus(string sweepId, SweepStatus status);

    [ClientFacing]
    Task<IReadOnlyList<SweepListing>> List();

    /// <summary>
    /// Marks failed every sweep listed as running whose coordinator never kept a state (its silo, or the storage, went
    /// away between the listing and the coordinator's first write) and was listed long enough ago to have started.
    /// </summary>
    /// <returns>The ids marked.</returns>
    Task<IReadOnlyList<string>> FailOrphans();
}
