using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Grains.Contracts;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// What a coordinator persists. It stays small whatever the sweep's size: which work items are
/// done is read back from the run directory's result log, and which failed from its failure log, not kept here.
/// </summary>
/// <remarks>
/// Versioning: a field is never renumbered or given another type; a new one takes the next <c>Id</c>, and what an
/// earlier version stored in a field it no longer writes is moved into the new form on restore
/// (<see cref="SweepStateVersions"/>), so a sweep stopped by an earlier version resumes on this one. The engine's types
/// have no Orleans attributes of their own: a rung decision is stored through its surrogate
/// (<see cref="RungDecisionSurrogate"/>), and a failure as <see cref="StoredFailure"/>, the record states have always
/// held (a surrogate would nest its fields one level deeper, and states stored before would not read back).
/// </remarks>
[GenerateSerializer]
internal sealed class SweepState
{
    /// <summary>How many failures <see cref="FirstFailures"/> keeps.</summary>
    public const int FirstFailuresKept = 20;

    [Id(0)] public string SweepId { get; set; } = "";
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public string SpecText { get; set; } = "";
    [Id(3)] public string SpecFile { get; set; } = "";
    [Id(4)] public string RunDirectory { get; set; } = "";
    [Id(5)] public SweepStatus Status { get; set; }
    [Id(6)] public DateTimeOffset Submitted { get; set; }
    [Id(7)] public DateTimeOffset? Finished { get; set; }
    /// <summary>
    /// Every work item that failed for good, as states written before the failure log (<see cref="FailureLog"/>) kept
    /// them; a restore moves them into the log and empties this, and nothing adds to it since.
    /// </summary>
    [Id(8)] public List<StoredFailure> EarlierFailures { get; set; } = new();
    [Id(9)] public int Retries { get; set; }
    [Id(10)] public int DuplicatesDropped { get; set; }
    [Id(11)] public string? Message { get; set; }
    /// <summary>Running time of earlier sessions of this sweep, for rates and ETA across a stop and resume.</summary>
    [Id(12)] public double EarlierSeconds { get; set; }
    /// <summary>W3C trace context of the submission, so every dispatch of the sweep joins one trace.</summary>
    [Id(13)] public string? TraceParent { get; set; }
    /// <summary>Images in the selection when the sweep started, so a restart need not load them to cut shards.</summary>
    [Id(14)] public int ImageCount { get; set; }
    /// <summary>
    /// The schedule's rung decisions in the order made, each as JSON, as states written before typed decisions
    /// (<see cref="Decisions"/>) kept them; a restore reads them into <see cref="Decisions"/> and empties this, and nothing
    /// adds to it since.
    /// </summary>
    [Id(15)] public List<string> EarlierDecisions { get; set; } = new();
    /// <summary>Work items that failed for good; each is a line of the run directory's failure log.</summary>
    [Id(16)] public int FailureCount { get; set; }
    /// <summary>The first <see cref="FirstFailuresKept"/> failures, for messages; the failure log holds them all.</summary>
    [Id(17)] public List<StoredFailure> FirstFailures { get; set; } = new();
    /// <summary>
    /// The schedule's rung decisions in the order made: at most one per trial and rung. A restarted coordinator keeps
    /// them, so a stopped trial stays stopped. Stored through <see cref="RungDecisionSurrogate"/>.
    /// </summary>
    [Id(18)] public List<RungDecision> Decisions { get; set; } = new();
}

/// <summary>
/// A work item that failed for good, as the state stores it: the same record, with the same field ids, as states of every
/// earlier version hold, so they read back. The engine's <see cref="FailedWorkItem"/> is the same, field for field.
/// </summary>
[GenerateSerializer, Immutable]
internal sealed record StoredFailure([property: Id(0)] int Trial, [property: Id(1)] int Shard, [property: Id(2)] int Attempts, [property: Id(3)] string Reason,
    [property: Id(4)] int Part = 0)
{
    public static StoredFailure Of(FailedWorkItem failure) => new(failure.Trial, failure.Shard, failure.Attempts, failure.Reason, failure.Part);

    public FailedWorkItem ToEngine() => new(Trial, Shard, Attempts, Reason, Part);
}
