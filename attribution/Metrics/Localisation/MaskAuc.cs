namespace Saliency.Attribution.Metrics.Localisation;

/// <summary>
/// The area under the ROC curve of |r| as a detector of the mask's pixels (Fawcett 2006, "An introduction to ROC
/// analysis", as Quantus' <c>AUC</c> cites it): the probability that a pixel inside outranks one outside, ties counted
/// as one half, which is the Mann-Whitney U statistic over n_inside · n_outside. 1 when every pixel inside is more
/// relevant than every pixel outside, 0.5 for a constant map. Quantus scores the signed map unless told <c>abs=True</c>;
/// the magnitude is used here so that strong negative evidence on the object counts as found.
/// </summary>
public sealed class MaskAuc : LocalisationMetric
{
    public const string MetricName = "mask-auc";

    public override string Name => MetricName;
    public override string Summary => "The ROC AUC of |map| as a detector of the mask's pixels: 0.5 is chance (higher is better).";
    public override string Definition => "The ROC AUC of |r| as a detector of the pixels inside: the Mann-Whitney U over n_inside · n_outside, ties counted ½.";
    public override string Reference => "Fawcett 2006, \"An introduction to ROC analysis\" (as Quantus cites it)";

    public override double Score(ReadOnlySpan<float> map, GroundTruthMask mask)
    {
        var magnitude = PixelRelevance.Of(Name, map, mask, needsBackground: true).Select(Math.Abs).ToArray();
        var order = Enumerable.Range(0, magnitude.Length).ToArray();
        Array.Sort(magnitude.ToArray(), order);
        // The sum of the ranks inside, each tie given the mean of the ranks it spans (1-based).
        var rankSum = 0.0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            var inside = 0;
            while (end < order.Length && magnitude[order[end]] == magnitude[order[start]])
                if (mask[order[end++]]) inside++;
            rankSum += inside * (start + 1 + end) / 2.0;
            start = end;
        }
        double positives = mask.Foreground, negatives = mask.Background;
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }
}
