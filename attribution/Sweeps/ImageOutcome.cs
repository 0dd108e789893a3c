namespace Saliency.Attribution.Sweeps;

/// <summary>
/// What a trial measured on one image. Plain values only, so it can be logged, aggregated and sent
/// to another machine as it is. A metric the sweep did not ask for, or that does not apply to the
/// method (completeness of a non-path method), is null.
/// </summary>
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
    double Seconds);

/// <summary>One image's map, kept for the sample of images whose maps a sweep saves.</summary>
public sealed record SampledMap(int Key, int Channels, int Height, int Width, float[] Map);

/// <summary>
/// What one trial measured on one shard of the sweep's images; <paramref name="Skipped"/> names the images of the shard
/// that could not be read under <c>on_bad_image: skip</c> (none in logs written before it existed).
/// </summary>
public sealed record ShardOutcome(int Trial, int Shard, IReadOnlyList<ImageOutcome> Images, IReadOnlyList<SampledMap> Maps, double Seconds,
    IReadOnlyList<Data.SkippedImage>? Skipped = null);
