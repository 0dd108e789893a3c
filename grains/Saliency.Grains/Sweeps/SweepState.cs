using Saliency.Grains.Contracts;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// What a coordinator persists. It stays small whatever the sweep's size: which work items are
/// done is read back from the run directory's result log, and which failed from its failure log, not kept here.
/// </summary>
[GenerateSerializer]
public sealed class SweepState
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
    [Id(8)] public List<FailedWorkItem> EarlierFailures { get; set; } = new();
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
    /// The schedule's rung decisions in the order made, each as JSON of <see cref="Saliency.Attribution.Sweeps.RungDecision"/>:
    /// at most one per trial and rung. A restarted coordinator keeps them, so a stopped trial stays stopped.
    /// </summary>
    [Id(15)] public List<string> Decisions { get; set; } = new();
    /// <summary>Work items that failed for good; each is a line of the run directory's failure log.</summary>
    [Id(16)] public int FailureCount { get; set; }
    /// <summary>The first <see cref="FirstFailuresKept"/> failures, for messages; the failure log holds them all.</summary>
    [Id(17)] public List<FailedWorkItem> FirstFailures { get; set; } = new();
}

[GenerateSerializer, Immutable]
public sealed record FailedWorkItem([property: Id(0)] int Trial, [property: Id(1)] int Shard, [property: Id(2)] int Attempts, [property: Id(3)] string Reason,
    [property: Id(4)] int Part = 0);
