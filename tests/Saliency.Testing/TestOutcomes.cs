using Saliency.Attribution.Metrics;
using Saliency.Attribution.Sweeps;

namespace Saliency.Testing;

/// <summary>Image outcomes as tests write them: the causal curves' areas and the completeness error by name.</summary>
public static class TestOutcomes
{
    public static ImageOutcome Image(int key, int label, int target, double score, double? baselineScore, double attributionSum,
        double? delta, double? relativeDelta, double? deletionAuc, double? insertionAuc, int steps, double seconds,
        IReadOnlyList<double>? modelRandomisation = null)
    {
        var metrics = new Dictionary<string, double>();
        if (delta is { } d) metrics[CompletenessMetric.DeltaValue] = d;
        if (relativeDelta is { } r) metrics[CompletenessMetric.RelativeDeltaColumn] = r;
        if (deletionAuc is { } deletion) metrics[DeletionMetric.AucColumn] = deletion;
        if (insertionAuc is { } insertion) metrics[InsertionMetric.AucColumn] = insertion;
        return new ImageOutcome(key, label, target, score, baselineScore, attributionSum, steps, seconds, metrics.Count > 0 ? metrics : null, modelRandomisation);
    }

    extension(ImageOutcome image)
    {
        public double? DeletionAuc => image.Metric(DeletionMetric.AucColumn);
        public double? InsertionAuc => image.Metric(InsertionMetric.AucColumn);
    }
}
