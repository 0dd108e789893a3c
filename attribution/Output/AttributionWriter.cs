using System.Text.Json;
using System.Text.Json.Serialization;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Output;

/// <summary>
/// The per-image record of attributions.json. Deletion and insertion keep fields of their own, with their curves; every
/// other metric's values are under <c>metrics</c>, by result column.
/// </summary>
public sealed record AttributionRecord(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("label")] int Label,
    [property: JsonPropertyName("target")] int Target,
    [property: JsonPropertyName("target_name")] string TargetName,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("baseline_score")] double? BaselineScore,
    [property: JsonPropertyName("attribution_sum")] double AttributionSum,
    [property: JsonPropertyName("delta")] double? Delta,
    [property: JsonPropertyName("relative_delta")] double? RelativeDelta,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("map")] string? Map,
    [property: JsonPropertyName("deletion_auc")] double? DeletionAuc = null,
    [property: JsonPropertyName("insertion_auc")] double? InsertionAuc = null,
    [property: JsonPropertyName("deletion_curve")] double[]? DeletionCurve = null,
    [property: JsonPropertyName("insertion_curve")] double[]? InsertionCurve = null,
    [property: JsonPropertyName("deletion_fractions")] double[]? DeletionFractions = null,
    [property: JsonPropertyName("insertion_fractions")] double[]? InsertionFractions = null,
    [property: JsonPropertyName("metrics")] IReadOnlyDictionary<string, double>? Metrics = null);

/// <summary>What was run, and the records of every image: the content of attributions.json.</summary>
public sealed record AttributionReport(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("images")] string Images,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("parameters")] IReadOnlyDictionary<string, string> Parameters,
    [property: JsonPropertyName("results")] IReadOnlyList<AttributionRecord> Results)
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <param name="selection">The images as they were asked for (<c>fashion-mnist:test:0-15</c>), range and all.</param>
    public static AttributionReport From(string model, string selection, ImageSet images, string method, IReadOnlyDictionary<string, string> parameters,
        ModelSpec spec, IReadOnlyList<ImageAttribution> attributions, Func<ImageAttribution, string?>? mapName = null,
        ImageJudging? judged = null) =>
        new(model, selection, method, parameters, attributions.Select((a, i) => Record(a, images.Labels[i], spec, mapName, judged, i)).ToArray());

    static AttributionRecord Record(ImageAttribution a, int label, ModelSpec spec, Func<ImageAttribution, string?>? mapName, ImageJudging? judged, int i)
    {
        var values = judged?.ValuesOf(i) ?? new Dictionary<string, double>();
        var curves = judged?.CurvesOf(i) ?? new Dictionary<string, MetricCurve>();
        double? Value(string column) => values.TryGetValue(column, out var value) ? value : null;
        double[]? Curve(string column) => curves.TryGetValue(column, out var curve) ? [.. curve.Scores] : null;
        double[]? Fractions(string column) => curves.TryGetValue(column, out var curve) ? [.. curve.Fractions] : null;
        var fixedColumns = new[] { DeletionMetric.AucColumn, InsertionMetric.AucColumn, CompletenessMetric.DeltaValue, CompletenessMetric.RelativeDeltaColumn };
        var others = values.Where(v => !fixedColumns.Contains(v.Key)).ToDictionary();
        return new AttributionRecord(
            a.Key, label, a.Target, spec.ClassName(a.Target), a.Score, a.Completeness?.BaselineScore,
            a.Completeness?.AttributionSum ?? a.Map.Sum(), a.Completeness?.Delta, a.Completeness?.RelativeDelta(a.Score),
            a.Steps, a.Seconds, mapName?.Invoke(a),
            Value(DeletionMetric.AucColumn), Value(InsertionMetric.AucColumn), Curve(DeletionMetric.AucColumn), Curve(InsertionMetric.AucColumn),
            Fractions(DeletionMetric.AucColumn), Fractions(InsertionMetric.AucColumn), others.Count > 0 ? others : null);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>Writes one .npy map per image and attributions.json into a directory.</summary>
public static class AttributionWriter
{
    public static AttributionReport Write(string directory, string model, string selection, ImageSet images, string method,
        IReadOnlyDictionary<string, string> parameters, ModelSpec spec, IReadOnlyList<ImageAttribution> attributions,
        ImageJudging? judged = null)
    {
        Directory.CreateDirectory(directory);
        var shape = new[] { images.Shape.Channels, images.Shape.Height, images.Shape.Width };
        foreach (var attribution in attributions)
            NpyFile.Write(Path.Combine(directory, MapName(attribution)), attribution.Map, shape);
        var report = AttributionReport.From(model, selection, images, method, parameters, spec, attributions, MapName, judged);
        File.WriteAllText(Path.Combine(directory, "attributions.json"), report.ToJson());
        return report;
    }

    static string MapName(ImageAttribution attribution) => $"map_{attribution.Key:D5}.npy";
}
