using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>The per-image metrics a trial is summarised by, under the names used in every results file.</summary>
public static class MetricNames
{
    public const string DeletionAuc = "deletion_auc";
    public const string InsertionAuc = "insertion_auc";
    /// <summary>Insertion AUC minus deletion AUC, on the images where both were measured.</summary>
    public const string InsertionMinusDeletion = "insertion_minus_deletion";
    /// <summary>|Delta|, the completeness error of path methods.</summary>
    public const string AbsDelta = "abs_delta";
    public const string RelativeDelta = "relative_delta";
    public const string Score = "score";

    public static readonly IReadOnlyList<string> All =
        new[] { DeletionAuc, InsertionAuc, InsertionMinusDeletion, AbsDelta, RelativeDelta, Score };

    /// <summary>The value of <paramref name="metric"/> on one image; null where it was not measured.</summary>
    public static double? ValueOf(string metric, ImageOutcome image) => metric switch
    {
        DeletionAuc => image.DeletionAuc,
        InsertionAuc => image.InsertionAuc,
        InsertionMinusDeletion => image is { InsertionAuc: { } insertion, DeletionAuc: { } deletion } ? insertion - deletion : null,
        AbsDelta => image.Delta is { } delta ? Math.Abs(delta) : null,
        RelativeDelta => image.RelativeDelta,
        Score => image.Score,
        _ => throw new ArgumentException($"unknown metric '{metric}'; known: {string.Join(", ", All)}", nameof(metric)),
    };

    public static void Validate(IEnumerable<string> metrics)
    {
        var unknown = metrics.Where(metric => !All.Contains(metric)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown metric{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}; known: {string.Join(", ", All)}");
    }
}
