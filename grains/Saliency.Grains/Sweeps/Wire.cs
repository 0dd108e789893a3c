using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;
using Saliency.Grains.Contracts;
using EngineItem = Saliency.Attribution.Sweeps.Engine.WorkItem;
using WireItem = Saliency.Grains.Contracts.WorkItem;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// Between the wire and the attribution library: the contracts' work item and work outcome are the engine's work item and
/// the library's shard outcome, field for field, kept apart so the client-facing contracts need not reference the
/// attribution library, and the library no Orleans. The one place either is mapped to the other.
/// </summary>
static class Wire
{
    /// <exception cref="InvalidDataException">A report, failure or progress message names no work item.</exception>
    public static EngineItem ToEngine(this WireItem? item) => item is null
        ? throw new InvalidDataException("the message names no work item")
        : new(item.Trial, item.Shard, item.Start, item.Count, item.Attempt, item.Part);

    public static WireItem ToWire(this EngineItem item) => new(item.Trial, item.Shard, item.Start, item.Count, item.Attempt, item.Part);

    /// <summary>A worker's outcome as it is sent.</summary>
    public static WorkOutcome ToWire(this ShardOutcome outcome) => new(
        outcome.Trial, outcome.Shard, outcome.Part, outcome.Start, outcome.Count, outcome.Seconds,
        [.. outcome.Images.Select(ToWire)],
        [.. outcome.Maps.Select(map => new MapSample(map.Key, map.Channels, map.Height, map.Width, map.Map))],
        outcome.Skipped?.Select(image => new SkippedFile(image.Key, image.File, image.Reason)).ToArray(),
        outcome.RandomisedLayers?.ToArray());

    static ImageResult ToWire(ImageOutcome image) => new(
        image.Key, image.Label, image.Target, image.Score, image.BaselineScore, image.AttributionSum, image.Steps, image.Seconds,
        image.Metrics?.ToDictionary(StringComparer.Ordinal),
        image.ModelRandomisation?.ToArray(),
        image.Curves?.ToDictionary(pair => pair.Key, pair => new ResultCurve([.. pair.Value.Fractions], [.. pair.Value.Scores]), StringComparer.Ordinal));

    /// <summary>
    /// The outcome a worker reported, checked for what the result log and the map files need of it: every list present, a
    /// map as many values as its shape, a curve as many scores as fractions, each value under a column that some metric
    /// writes. Whether it fits the sweep (its work item, its range) is the engine's check.
    /// </summary>
    /// <exception cref="InvalidDataException">It does not; the message names the field.</exception>
    public static ShardOutcome Outcome(WorkReport report)
    {
        var at = $"the outcome of trial {report.Item.Trial} shard {report.Item.Shard}";
        var outcome = report.Outcome ?? throw new InvalidDataException($"{at} is missing from its report");
        return new ShardOutcome(outcome.Trial, outcome.Shard,
            Each(outcome.Images, $"{at}: images", Image),
            Each(outcome.Maps, $"{at}: maps", Map),
            outcome.Seconds,
            outcome.Skipped is null ? null : Each(outcome.Skipped, $"{at}: skipped", Skipped),
            outcome.Start, outcome.Count,
            outcome.RandomisedLayers is null ? null : Each(outcome.RandomisedLayers, $"{at}: randomised_layers", (layer, _) => layer),
            outcome.Part);
    }

    static ImageOutcome Image(ImageResult image, string field) => new(
        image.Key, image.Label, image.Target, image.Score, image.BaselineScore, image.AttributionSum, image.Steps, image.Seconds,
        image.Metrics is null ? null : Columns(image.Metrics, $"{field}.metrics", (value, _) => value),
        image.ModelRandomisation,
        image.Curves is null ? null : Columns(image.Curves, $"{field}.curves", Curve));

    static MetricCurve Curve(ResultCurve curve, string field)
    {
        var fractions = curve.Fractions ?? throw Missing($"{field}.fractions");
        var scores = curve.Scores ?? throw Missing($"{field}.scores");
        if (fractions.Length != scores.Length)
            throw new InvalidDataException($"{field} has {fractions.Length} fractions and {scores.Length} scores; a curve has one score per fraction");
        return new MetricCurve(fractions, scores);
    }

    static SampledMap Map(MapSample map, string field)
    {
        var values = map.Map ?? throw Missing($"{field}.map");
        if (map.Channels <= 0 || map.Height <= 0 || map.Width <= 0 || (long)map.Channels * map.Height * map.Width != values.Length)
            throw new InvalidDataException($"{field} of image {map.Key} is shaped [{map.Channels}, {map.Height}, {map.Width}] but holds {values.Length} values");
        return new SampledMap(map.Key, map.Channels, map.Height, map.Width, values);
    }

    static SkippedImage Skipped(SkippedFile image, string field) =>
        new(image.Key, image.File ?? throw Missing($"{field}.file"), image.Reason ?? throw Missing($"{field}.reason"));

    static T[] Each<TWire, T>(TWire[]? values, string field, Func<TWire, string, T> map) =>
        [.. (values ?? throw Missing(field)).Select((value, i) => value is null ? throw Missing($"{field}[{i}]") : map(value, $"{field}[{i}]"))];

    static Dictionary<string, T> Columns<TWire, T>(Dictionary<string, TWire> values, string field, Func<TWire, string, T> map) =>
        values.ToDictionary(pair => Column(pair.Key, field), pair => map(pair.Value, $"{field}['{pair.Key}']"), StringComparer.Ordinal);

    /// <summary>
    /// A column some metric or sanity check writes: the result log writes a value flat beside the image's own fields, so
    /// any other name (<c>score</c>, <c>curves</c>) would read back as something else, or not at all.
    /// </summary>
    static string Column(string column, string field) =>
        column == MetricNames.RandomLogit || MetricCatalog.Column(column) is not null
            ? column
            : throw new InvalidDataException($"{field} has a value under '{column}', a column no metric writes");

    static InvalidDataException Missing(string field) => new($"{field} is missing");
}
