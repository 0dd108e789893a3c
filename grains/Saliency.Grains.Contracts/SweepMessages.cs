namespace Saliency.Grains.Contracts;

/// <summary>A sweep as submitted: the spec's text as written and where it came from (for error messages).</summary>
[GenerateSerializer, Immutable]
public sealed record SweepSubmission([property: Id(0)] string SpecText, [property: Id(1)] string SpecFile);

/// <summary>What a submission returns: the sweep's id and the run directory on the coordinator's machine.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepTicket([property: Id(0)] string SweepId, [property: Id(1)] string RunDirectory);

public enum SweepStatus { Running, Stopped, Completed, Cancelled, Failed }

/// <summary>The live state of one trial, from counters the coordinator keeps.</summary>
[GenerateSerializer, Immutable]
public sealed record TrialProgress(
    [property: Id(0)] int Trial,
    [property: Id(1)] string Label,
    [property: Id(2)] int ShardsDone,
    [property: Id(3)] int ShardsTotal,
    [property: Id(4)] int ShardsFailed,
    [property: Id(5)] long Images,
    [property: Id(6)] double? MeanDeletion,
    [property: Id(7)] double? MeanInsertion,
    [property: Id(8)] double? MeanAbsDelta,
    [property: Id(9)] double ImagesPerSecond,
    [property: Id(10)] string? Failure,
    [property: Id(11)] double ImagesInFlight = 0,
    [property: Id(12)] int Rung = 0,
    [property: Id(13)] int Rungs = 1,
    [property: Id(14)] int RungImages = 0,
    [property: Id(15)] string? Stopped = null,
    [property: Id(16)] IReadOnlyDictionary<string, double>? Means = null)
{
    /// <summary>The trial's mean of a result column (<c>relevance_mass</c>) over its images so far; null before any image has it.</summary>
    public double? Mean(string column) => Means is { } means && means.TryGetValue(column, out var mean) ? mean : null;

    /// <summary>Done: every shard settled, or stopped by a halving schedule at <see cref="Rung"/>, for the reason in <see cref="Stopped"/>.</summary>
    public bool Finished => Stopped is not null || ShardsDone + ShardsFailed >= ShardsTotal;

    /// <summary>running, stopped at rung k, or complete: what <c>watch</c> and <c>status</c> show of the trial.</summary>
    public string State => Stopped is not null ? $"stopped at rung {Rung}" : Finished ? "complete" : "running";
}

/// <summary>The live state of a sweep: what <c>saliency status</c> and <c>watch</c> show.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepProgress(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] SweepStatus Status,
    [property: Id(3)] string RunDirectory,
    [property: Id(4)] int WorkItemsTotal,
    [property: Id(5)] int WorkItemsDone,
    [property: Id(6)] int WorkItemsFailed,
    [property: Id(7)] int WorkItemsInFlight,
    [property: Id(8)] int Retries,
    [property: Id(9)] int DuplicatesDropped,
    [property: Id(10)] double ImagesPerSecond,
    [property: Id(11)] double ElapsedSeconds,
    [property: Id(12)] string? Message,
    [property: Id(13)] IReadOnlyList<TrialProgress> Trials,
    [property: Id(14)] long ImagesTotal = 0,
    [property: Id(15)] string? Objective = null,
    [property: Id(16)] int WorkItemsStopped = 0,
    [property: Id(17)] string? Schedule = null)
{
    public bool Finished => Status is not SweepStatus.Running;

    /// <summary>Images done, counting the part of each image that work items still in flight have done.</summary>
    public double ImagesDone => Trials.Sum(t => t.Images + t.ImagesInFlight);

    /// <summary>
    /// Seconds left: the work left, weighted by what a shard of each trial has cost so far (trials
    /// not started cost the average), at the pace the sweep has kept. Trials differ by orders of
    /// magnitude (I-GOS against IG at 8 steps), so counting work items alone misleads.
    /// </summary>
    public double? EtaSeconds
    {
        get
        {
            if (Finished) return null;
            // Before the first work item lands, the images its work items have done so far set the pace.
            if (WorkItemsDone == 0)
                return ImagesDone > 0 && ImagesTotal > 0 ? ElapsedSeconds * (ImagesTotal - ImagesDone) / ImagesDone : null;
            var costs = Trials.Select(t => t.ShardsDone > 0 && t.ImagesPerSecond > 0 ? t.Images / (double)t.ShardsDone / t.ImagesPerSecond : (double?)null).ToArray();
            var known = costs.OfType<double>().ToArray();
            if (known.Length == 0) return null;
            var average = known.Average();
            double done = 0, left = 0;
            for (var i = 0; i < Trials.Count; i++)
            {
                var cost = costs[i] ?? average;
                done += Trials[i].ShardsDone * cost;
                if (Trials[i].Stopped is null) left += (Trials[i].ShardsTotal - Trials[i].ShardsDone - Trials[i].ShardsFailed) * cost;
            }
            return done <= 0 ? null : ElapsedSeconds * left / done;
        }
    }
}

/// <summary>One sweep as the cluster's directory lists it.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepListing(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] SweepStatus Status,
    [property: Id(3)] DateTimeOffset Submitted);

/// <summary>A file of a sweep's results, relative to its run directory.</summary>
[GenerateSerializer, Immutable]
public sealed record ResultFile([property: Id(0)] string Path, [property: Id(1)] long Length);
