using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>
/// Running statistics of one trial as its shard outcomes arrive, in any order. An outcome counts once: one delivered
/// again for a shard (or the part of a shard from the same first image) already counted is ignored, so retries are harmless.
/// </summary>
public sealed class TrialAggregate
{
    readonly Dictionary<string, RunningStatistics> metrics = new(StringComparer.Ordinal);
    readonly HashSet<int> shards = new();
    readonly HashSet<(int Shard, int Start, int Part)> parts = new();
    DateTimeOffset? firstShardStarted;
    DateTimeOffset? lastArrival;

    public TrialAggregate(Trial trial) => Trial = trial;

    public Trial Trial { get; }
    public int Images { get; private set; }
    public int Shards => shards.Count;
    public double Seconds { get; private set; }
    double methodSeconds;
    /// <summary>Method seconds per image of each outcome, in arrival order: their median is the trial's cost.</summary>
    readonly List<double> outcomeCosts = new();
    /// <summary>The median of <see cref="outcomeCosts"/> as last taken; progress asks for it far more often than outcomes arrive.</summary>
    double? medianCost;
    public string? Failure { get; private set; }

    /// <summary>
    /// Images per second of wall-clock time, from when the first shard to arrive started (its arrival
    /// less its compute seconds) to the last arrival; 0 before any image.
    /// </summary>
    public double ImagesPerSecond
    {
        get
        {
            if (Images == 0 || firstShardStarted is not { } start || lastArrival is not { } end) return 0;
            var elapsed = (end - start).TotalSeconds;
            return elapsed > 0 ? Images / elapsed : 0;
        }
    }

    /// <summary>Counts an outcome that arrived at <paramref name="arrivedAt"/> (now when null); false when it was already counted.</summary>
    public bool Add(ShardOutcome outcome, DateTimeOffset? arrivedAt = null)
    {
        if (outcome.Trial != Trial.Index)
            throw new ArgumentException($"an outcome of trial {outcome.Trial} was given to the aggregate of trial {Trial.Index}", nameof(outcome));
        if (!parts.Add((outcome.Shard, outcome.Start ?? -1, outcome.PartIndex))) return false;
        if (outcome.PartIndex > 0)
        {
            // A step of the model-randomisation cascade: its images were counted with the trial's own work. The trial's
            // figure is the last step's, with every layer re-drawn.
            if (outcome.RandomisedLayers?.Count == outcome.PartIndex)
                foreach (var image in outcome.Images)
                    if (image.ModelRandomisation is [var rho]) Statistics(MetricNames.ModelRandomisation).Add(rho);
            return true;
        }
        shards.Add(outcome.Shard);

        var arrival = arrivedAt ?? DateTimeOffset.UtcNow;
        var started = arrival - TimeSpan.FromSeconds(outcome.Seconds);
        if (firstShardStarted is null || started < firstShardStarted) firstShardStarted = started;
        if (lastArrival is null || arrival > lastArrival) lastArrival = arrival;

        Images += outcome.Images.Count;
        Seconds += outcome.Seconds;
        foreach (var image in outcome.Images) methodSeconds += image.Seconds;
        if (outcome.Images.Count > 0)
        {
            outcomeCosts.Add(outcome.Images.Sum(image => image.Seconds) / outcome.Images.Count);
            medianCost = null;
        }
        foreach (var image in outcome.Images)
            foreach (var (name, value) in MetricNames.ValuesOf(image)) Statistics(name).Add(value);
        return true;
    }

    RunningStatistics Statistics(string column)
    {
        if (!metrics.TryGetValue(column, out var statistics)) metrics[column] = statistics = new RunningStatistics();
        return statistics;
    }

    /// <summary>Marks the trial failed; the first reason given is kept.</summary>
    public void Fail(string reason) => Failure ??= reason;

    public TrialSummary Summary() => new(
        Trial, Images, Shards, Seconds, ImagesPerSecond,
        metrics.Select(pair => (pair.Key, Statistics: pair.Value.Snapshot()))
            .Where(pair => pair.Statistics is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Statistics!),
        Failure, methodSeconds, medianCost ??= Median(outcomeCosts));

    static double? Median(List<double> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Summaries of every trial from a result log's entries, each counted at the time it was logged.</summary>
    public static IReadOnlyList<TrialSummary> Summarise(IReadOnlyList<Trial> trials, IEnumerable<LoggedShard> entries)
    {
        var aggregates = trials.ToDictionary(trial => trial.Index, trial => new TrialAggregate(trial));
        foreach (var entry in entries)
        {
            if (!aggregates.TryGetValue(entry.Outcome.Trial, out var aggregate))
                throw new InvalidDataException($"the log holds an outcome of trial {entry.Outcome.Trial}, which the sweep does not have");
            aggregate.Add(entry.Outcome, entry.LoggedAt);
        }
        return trials.Select(trial => aggregates[trial.Index].Summary()).ToList();
    }
}
