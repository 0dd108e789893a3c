using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// One column of the results that a metric writes: its name in every results file, which way is better, and whether it
/// measures faithfulness to the model (the causal curves) or agreement with ground truth, which the verdict tells apart.
/// </summary>
/// <param name="HigherIsBetter">Null for a column that is no measure of quality, such as a method's signed error.</param>
/// <param name="Derive">How the column follows from an image's stored values, for a column that is not stored itself.</param>
public sealed record MetricColumn(string Name, bool? HigherIsBetter, MetricKind Kind = MetricKind.Other,
    Func<ImageOutcome, double?>? Derive = null)
{
    /// <summary>The image's value in this column; null where it was not measured.</summary>
    public double? ValueOf(ImageOutcome image) => Derive is { } derive ? derive(image) : image.Metric(Name);
}

/// <summary>What a result column measures, as the verdict groups them.</summary>
public enum MetricKind
{
    /// <summary>A map's shape or a method's own error: sparseness, complexity, completeness.</summary>
    Other,
    /// <summary>Faithfulness to the model: what the model does when the map's pixels change.</summary>
    Faithfulness,
    /// <summary>Agreement with ground truth: where the evidence was planted or marked.</summary>
    Localisation,
}
