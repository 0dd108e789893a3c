using System.Text.Json.Serialization;
using Saliency.Attribution.Metrics;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// What a trial measured on one image. Plain values only, so it can be logged, aggregated and sent to another machine as
/// it is. <paramref name="Metrics"/> holds each metric's values by result column (<see cref="MetricDescriptor.Columns"/>):
/// a metric the sweep did not ask for, or that does not apply (completeness of a non-path method, a localisation
/// metric on an image without a mask), has none.
/// </summary>
/// <param name="Curves">The curves some metric values summarise (deletion, insertion, ROAD), by the value's column.</param>
[JsonConverter(typeof(ImageOutcomeJson))]
public sealed record ImageOutcome(
    int Key,
    int Label,
    int Target,
    double Score,
    double? BaselineScore,
    double AttributionSum,
    int Steps,
    double Seconds,
    IReadOnlyDictionary<string, double>? Metrics = null,
    IReadOnlyList<double>? ModelRandomisation = null,
    IReadOnlyDictionary<string, MetricCurve>? Curves = null)
{
    /// <summary>The stored value of a metric column; null where it was not measured.</summary>
    public double? Metric(string column) => Metrics is { } metrics && metrics.TryGetValue(column, out var value) ? value : null;

    /// <summary>The completeness error of a path method's map; null for other methods or when not measured.</summary>
    public double? Delta => Metric(CompletenessMetric.DeltaValue);

    public double? RelativeDelta => Metric(CompletenessMetric.RelativeDeltaColumn);

    /// <summary>Equal when every field, metric value and curve point is: what a round trip through a log must keep.</summary>
    public bool Equals(ImageOutcome? other) =>
        other is not null
        && (Key, Label, Target, Score, BaselineScore, AttributionSum, Steps, Seconds)
            == (other.Key, other.Label, other.Target, other.Score, other.BaselineScore, other.AttributionSum, other.Steps, other.Seconds)
        && SameValues(Metrics, other.Metrics, (a, b) => a.Equals(b))
        && SameSequence(ModelRandomisation, other.ModelRandomisation)
        && SameValues(Curves, other.Curves, (a, b) => a.Fractions.SequenceEqual(b.Fractions) && a.Scores.SequenceEqual(b.Scores));

    public override int GetHashCode() => HashCode.Combine(Key, Label, Target, Score, Steps, Metrics?.Count ?? -1);

    static bool SameValues<T>(IReadOnlyDictionary<string, T>? a, IReadOnlyDictionary<string, T>? b, Func<T, T, bool> same) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, T>()).All(pair => b!.TryGetValue(pair.Key, out var value) && same(pair.Value, value));

    static bool SameSequence(IReadOnlyList<double>? a, IReadOnlyList<double>? b) => a is null ? b is null : b is not null && a.SequenceEqual(b);
}

/// <summary>One image's map, kept for the sample of images whose maps a sweep saves.</summary>
public sealed record SampledMap(int Key, int Channels, int Height, int Width, float[] Map);

/// <summary>
/// What one trial measured on one shard of the sweep's images; <paramref name="Skipped"/> names the images of the shard
/// that could not be read under <c>on_bad_image: skip</c> (none in logs written before it existed).
/// </summary>
/// <param name="Start">
/// With <paramref name="Count"/>, the positions in the sweep's selection this outcome covers, skipped images included: part
/// of the shard when its work item stopped at its time budget. Null for a whole shard.
/// </param>
/// <param name="RandomisedLayers">The steps of the model-randomisation cascade, output first, where the sweep runs it.</param>
/// <param name="Part">
/// Null or 0 for the trial's own work; k ≥ 1 for step k of the model-randomisation cascade, whose images hold only
/// <see cref="ImageOutcome.ModelRandomisation"/>, the one value of that step (none where the model's cascade is shorter).
/// </param>
public sealed record ShardOutcome(int Trial, int Shard, IReadOnlyList<ImageOutcome> Images, IReadOnlyList<SampledMap> Maps, double Seconds,
    IReadOnlyList<Data.SkippedImage>? Skipped = null, int? Start = null, int? Count = null, IReadOnlyList<string>? RandomisedLayers = null,
    int? Part = null)
{
    /// <summary>The work item part this outcome measured: 0 for the trial's own work, k for step k of the model-randomisation cascade.</summary>
    public int PartIndex => Part ?? 0;

    /// <summary>Joins consecutive parts of one shard, in order, into one outcome covering them all.</summary>
    public static ShardOutcome Join(IReadOnlyList<ShardOutcome> parts, int start, int count) => new(
        parts[0].Trial, parts[0].Shard,
        [.. parts.SelectMany(p => p.Images)], [.. parts.SelectMany(p => p.Maps)], parts.Sum(p => p.Seconds),
        [.. parts.SelectMany(p => p.Skipped ?? [])], start, count, parts.Select(p => p.RandomisedLayers).FirstOrDefault(l => l is { Count: > 0 }), parts[0].Part);
}
