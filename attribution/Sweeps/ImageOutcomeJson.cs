using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Saliency.Attribution.Metrics;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// An image outcome as JSON, one flat object: the image's fields, then each metric value under its result column
/// (<c>"deletion_auc": 0.21</c>), then the curves. Flat, because that is how logs written before metrics had descriptors
/// hold them, so a sweep stopped by an earlier version resumes: their <c>other_substrates</c> object is read as columns,
/// nulls as values not measured, and names in any case style (<c>DeletionAuc</c>) as their snake-case columns.
/// Curves are written to five decimals, enough to draw them; a metric's value keeps every digit.
/// </summary>
public sealed class ImageOutcomeJson : JsonConverter<ImageOutcome>
{
    const string Key = "key", Label = "label", Target = "target", Score = "score", BaselineScore = "baseline_score",
        AttributionSum = "attribution_sum", Steps = "steps", Seconds = "seconds", ModelRandomisation = "model_randomisation",
        Curves = "curves", OtherSubstrates = "other_substrates", Fractions = "fractions", Scores = "scores";

    public override ImageOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("an image outcome is a JSON object");
        int? key = null, label = null, target = null, steps = null;
        double? score = null, baselineScore = null, attributionSum = null, seconds = null;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        List<double>? cascade = null;
        Dictionary<string, MetricCurve>? curves = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(reader.GetString()!);
            reader.Read();
            switch (name)
            {
                case Key: key = reader.GetInt32(); break;
                case Label: label = reader.GetInt32(); break;
                case Target: target = reader.GetInt32(); break;
                case Steps: steps = reader.GetInt32(); break;
                case Score: score = Number(ref reader); break;
                case BaselineScore: baselineScore = NullableNumber(ref reader); break;
                case AttributionSum: attributionSum = Number(ref reader); break;
                case Seconds: seconds = Number(ref reader); break;
                case ModelRandomisation: cascade = reader.TokenType == JsonTokenType.Null ? null : NumberList(ref reader); break;
                case Curves: curves = reader.TokenType == JsonTokenType.Null ? null : ReadCurves(ref reader); break;
                case OtherSubstrates when reader.TokenType == JsonTokenType.StartObject:
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var column = reader.GetString()!;
                        reader.Read();
                        if (NullableNumber(ref reader) is { } auc) metrics[column] = auc;
                    }
                    break;
                default:
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                    else if (NullableNumber(ref reader) is { } value) metrics[name] = value;
                    break;
            }
        }
        return new ImageOutcome(
            key ?? throw Missing(Key), label ?? throw Missing(Label), target ?? throw Missing(Target), score ?? throw Missing(Score),
            baselineScore, attributionSum ?? throw Missing(AttributionSum), steps ?? throw Missing(Steps), seconds ?? throw Missing(Seconds),
            metrics.Count > 0 ? metrics : null, cascade, curves);
    }

    public override void Write(Utf8JsonWriter writer, ImageOutcome value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber(Key, value.Key);
        writer.WriteNumber(Label, value.Label);
        writer.WriteNumber(Target, value.Target);
        WriteNumber(writer, Score, value.Score);
        if (value.BaselineScore is { } baseline) WriteNumber(writer, BaselineScore, baseline);
        WriteNumber(writer, AttributionSum, value.AttributionSum);
        writer.WriteNumber(Steps, value.Steps);
        WriteNumber(writer, Seconds, value.Seconds);
        foreach (var (column, metric) in value.Metrics ?? new Dictionary<string, double>()) WriteNumber(writer, column, metric);
        if (value.ModelRandomisation is { } cascade)
        {
            writer.WriteStartArray(ModelRandomisation);
            foreach (var rho in cascade) WriteNumber(writer, null, rho);
            writer.WriteEndArray();
        }
        if (value.Curves is { Count: > 0 } curves)
        {
            writer.WriteStartObject(Curves);
            foreach (var (column, curve) in curves)
            {
                writer.WriteStartObject(column);
                WriteRounded(writer, Fractions, curve.Fractions);
                WriteRounded(writer, Scores, curve.Scores);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    static Dictionary<string, MetricCurve> ReadCurves(ref Utf8JsonReader reader)
    {
        var curves = new Dictionary<string, MetricCurve>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var column = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"curve '{column}' is not an object");
            List<double>? fractions = null, scores = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var part = reader.GetString();
                reader.Read();
                if (part == Fractions) fractions = NumberList(ref reader);
                else if (part == Scores) scores = NumberList(ref reader);
                else reader.Skip();
            }
            if (fractions is null || scores is null || fractions.Count != scores.Count)
                throw new JsonException($"curve '{column}' needs as many fractions as scores");
            curves[column] = new MetricCurve(fractions, scores);
        }
        return curves;
    }

    static List<double> NumberList(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected a list of numbers");
        var values = new List<double>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) values.Add(Number(ref reader));
        return values;
    }

    static double Number(ref Utf8JsonReader reader) => NullableNumber(ref reader) ?? throw new JsonException("expected a number, found null");

    /// <summary>A number, or one of the names NaN and ±Infinity as strings, as the result log writes them; null for null.</summary>
    static double? NullableNumber(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String when double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var named)
            && !double.IsFinite(named) => named,
        _ => throw new JsonException($"expected a number, found {reader.TokenType}"),
    };

    static void WriteNumber(Utf8JsonWriter writer, string? name, double value)
    {
        if (name is not null) writer.WritePropertyName(name);
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }

    static void WriteRounded(Utf8JsonWriter writer, string name, IReadOnlyList<double> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) WriteNumber(writer, null, double.IsFinite(value) ? Math.Round(value, 5) : value);
        writer.WriteEndArray();
    }

    static JsonException Missing(string field) => new($"an image outcome has no '{field}'");
}
