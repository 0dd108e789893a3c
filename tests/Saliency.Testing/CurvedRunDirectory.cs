using System.Text.Json.Nodes;

namespace Saliency.Testing;

/// <summary>
/// A copy of a real run directory whose result log carries per-image deletion and insertion curves, in the form the
/// result log's producer writes them (<c>"curves": {"deletion_auc": {"fractions": [...], "scores": [...]}, ...}</c> on each
/// image): made from a log that has none, until the producer writes them itself. Each curve runs over 11 fractions from the
/// image's score down (deletion) or up to it (insertion), so its area is not the logged AUC: the curves are for drawing.
/// </summary>
public static class CurvedRunDirectory
{
    public const int Points = 11;

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> (every file, maps included) with curves added to its log.</summary>
    public static string Copy(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        var log = Path.Combine(destination, "results.jsonl");
        var lines = File.ReadAllLines(log).Where(l => l.Length > 0).Select(WithCurves);
        File.WriteAllLines(log, lines);
        return destination;
    }

    static string WithCurves(string line)
    {
        var node = JsonNode.Parse(line)!.AsObject();
        foreach (var image in node["images"]!.AsArray())
        {
            var top = Math.Clamp(1 / (1 + Math.Exp(-(image!["score"]?.GetValue<double>() ?? 0))), 0.05, 1);
            image["curves"] = new JsonObject
            {
                ["deletion_auc"] = Curve(f => top * Math.Pow(1 - f, 2)),
                ["insertion_auc"] = Curve(f => top * Math.Sqrt(f)),
            };
        }
        return node.ToJsonString();
    }

    static JsonObject Curve(Func<double, double> score)
    {
        var fractions = Enumerable.Range(0, Points).Select(i => i / (double)(Points - 1)).ToArray();
        return new JsonObject
        {
            ["fractions"] = new JsonArray([.. fractions.Select(f => JsonValue.Create(f))]),
            ["scores"] = new JsonArray([.. fractions.Select(f => JsonValue.Create(score(f)))]),
        };
    }
}
