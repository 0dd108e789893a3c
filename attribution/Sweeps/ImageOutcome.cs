namespace Saliency.Attribution.Sweeps;

/// <summary>
/// What a trial measured on one image. Plain values only, so it can be logged, aggregated and sent
/// to another machine as it is. A metric the sweep did not ask for, or that does not apply to the
/// method (completeness of a non-path method), is null.
/// </summary>
/// <param name="OtherSubstrates">Deletion and insertion AUCs under the spec's further substrates, by result column.</param>
public sealed record ImageOutcome(
    int Key,
    int Label,
    int Target,
    double Score,
    double? BaselineScore,
    double AttributionSum,
    double? Delta,
    double? RelativeDelta,
    double? DeletionAuc,
    double? InsertionAuc,
    int Steps,
    double Seconds,
    double? Sparseness = null,
    double? Complexity = null,
    IReadOnlyList<double>? ModelRandomisation = null,
    double? RandomLogit = null,
    double? FaithfulnessCorrelation = null,
    double? Infidelity = null,
    double? MaxSensitivity = null,
    double? RoadMorf = null,
    double? RoadLerf = null,
    IReadOnlyDictionary<string, double>? OtherSubstrates = null);

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
