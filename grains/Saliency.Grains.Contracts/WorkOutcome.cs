namespace Saliency.Grains.Contracts;

/// <summary>
/// What a work item measured, as it crosses from a worker to the coordinator: the attribution library's shard outcome,
/// field for field, in records Orleans serialises itself, so these contracts need not reference the library. The
/// coordinator maps it back and checks it whole before anything of it is written.
/// </summary>
/// <remarks>
/// Versioning: an <c>Id</c> is never reused, renumbered or retyped. A field is added with the next free id and a default
/// (null for a reference); a silo of the version before skips it, and a report from such a silo reads it as the default.
/// A field whose type must change takes a new id and the old one is retired, as <see cref="WorkReport"/>'s JSON outcome was.
/// Outcomes are passed through, never kept in grain state: what is done is the run directory's result log.
/// </remarks>
/// <param name="Part">Null or 0 for the trial's own work; k ≥ 1 for step k of the model-randomisation cascade.</param>
/// <param name="Start">With <paramref name="Count"/>, the positions in the sweep's selection covered; null for a whole shard.</param>
/// <param name="Skipped">Images of the shard that could not be read under <c>on_bad_image: skip</c>; null where none were reported.</param>
/// <param name="RandomisedLayers">The steps of the model-randomisation cascade, output first, where the sweep runs it.</param>
[GenerateSerializer, Immutable]
public sealed record WorkOutcome(
    [property: Id(0)] int Trial,
    [property: Id(1)] int Shard,
    [property: Id(2)] int? Part,
    [property: Id(3)] int? Start,
    [property: Id(4)] int? Count,
    [property: Id(5)] double Seconds,
    [property: Id(6)] ImageResult[] Images,
    [property: Id(7)] MapSample[] Maps,
    [property: Id(8)] SkippedFile[]? Skipped = null,
    [property: Id(9)] string[]? RandomisedLayers = null);

/// <summary>
/// What a trial measured on one image. <paramref name="Metrics"/> holds each metric's value by its result column
/// (<c>deletion_auc</c>); a value may be NaN where the metric says so.
/// </summary>
/// <param name="Curves">The curves some metric values summarise (deletion, insertion, ROAD), by the value's column.</param>
[GenerateSerializer, Immutable]
public sealed record ImageResult(
    [property: Id(0)] int Key,
    [property: Id(1)] int Label,
    [property: Id(2)] int Target,
    [property: Id(3)] double Score,
    [property: Id(4)] double? BaselineScore,
    [property: Id(5)] double AttributionSum,
    [property: Id(6)] int Steps,
    [property: Id(7)] double Seconds,
    [property: Id(8)] Dictionary<string, double>? Metrics = null,
    [property: Id(9)] double[]? ModelRandomisation = null,
    [property: Id(10)] Dictionary<string, ResultCurve>? Curves = null);

/// <summary>A metric's curve: the score at each fraction of the image's pixels changed, as many scores as fractions.</summary>
[GenerateSerializer, Immutable]
public sealed record ResultCurve([property: Id(0)] double[] Fractions, [property: Id(1)] double[] Scores);

/// <summary>One image's attribution map, shaped [<see cref="Channels"/>, <see cref="Height"/>, <see cref="Width"/>], kept for the sample of images whose maps a sweep saves.</summary>
[GenerateSerializer, Immutable]
public sealed record MapSample(
    [property: Id(0)] int Key,
    [property: Id(1)] int Channels,
    [property: Id(2)] int Height,
    [property: Id(3)] int Width,
    [property: Id(4)] float[] Map);

/// <summary>An image of the shard that could not be read, and why.</summary>
[GenerateSerializer, Immutable]
public sealed record SkippedFile([property: Id(0)] int Key, [property: Id(1)] string File, [property: Id(2)] string Reason);
