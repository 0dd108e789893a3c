using System.Text.Json;

namespace Saliency.Web.Runs;

/// <summary>One deletion or insertion curve: the model's probability at each fraction of pixels removed or inserted.</summary>
public sealed record Curve(IReadOnlyList<double> Fractions, IReadOnlyList<double> Scores);

/// <summary>
/// The per-image curves of a result-log line: each element of its <c>images</c> may carry
/// <c>"curves": {"deletion_auc": {"fractions": [...], "scores": [...]}, ...}</c>, keyed by result column. Logs written
/// before curves were stored have none, and an image without them has an empty set. A curve that is not two equally long
/// lists of finite numbers, with fractions in [0, 1] ascending, is left out rather than drawn wrong.
/// </summary>
public static class ImageCurves
{
    /// <summary>The curves of image <paramref name="key"/> in <paramref name="line"/>, by result column.</summary>
    /// <exception cref="JsonException">The line is not JSON.</exception>
    public static IReadOnlyDictionary<string, Curve> Of(string line, int key)
    {
        using var document = JsonDocument.Parse(line);
        if (!document.RootElement.TryGetProperty("images", out var images) || images.ValueKind != JsonValueKind.Array) return Empty;
        foreach (var image in images.EnumerateArray())
        {
            if (image.ValueKind != JsonValueKind.Object || !image.TryGetProperty("key", out var k) || !k.TryGetInt32(out var found) || found != key) continue;
            if (!image.TryGetProperty("curves", out var curves) || curves.ValueKind != JsonValueKind.Object) return Empty;
            var result = new Dictionary<string, Curve>();
            foreach (var column in curves.EnumerateObject())
                if (Read(column.Value) is { } curve) result[column.Name] = curve;
            return result;
        }
        return Empty;
    }

    static readonly IReadOnlyDictionary<string, Curve> Empty = new Dictionary<string, Curve>();

    static Curve? Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("fractions", out var fractions) || !element.TryGetProperty("scores", out var scores)
            || Numbers(fractions) is not { } x || Numbers(scores) is not { } y || x.Count != y.Count || x.Count == 0) return null;
        for (var i = 0; i < x.Count; i++)
            if (x[i] < 0 || x[i] > 1 || (i > 0 && x[i] < x[i - 1])) return null;
        return new Curve(x, y);
    }

    static List<double>? Numbers(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array) return null;
        var values = new List<double>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out var value) || !double.IsFinite(value)) return null;
            values.Add(value);
        }
        return values;
    }
}
