namespace Saliency.Attribution.Metrics.Localisation;

/// <summary>
/// Relevance mass accuracy (Arras, Osman and Samek 2022, "CLEVR-XAI: A benchmark dataset for the ground truth evaluation
/// of neural network explanations"): the share of the map's positive relevance that lies inside the mask,
/// Σ_inside max(r, 0) / Σ max(r, 0); 0 when no pixel is positive. Quantus' <c>RelevanceMassAccuracy</c> divides the
/// signed sums instead, which can leave [0, 1] on a map with negative relevance; on a map's positive part the two agree.
/// </summary>
public sealed class RelevanceMass : LocalisationMetric
{
    public const string MetricName = "relevance-mass";

    public override string Name => MetricName;
    public override string Summary => "The share of the map's positive relevance that lies inside the mask (higher is better).";
    public override string Definition => "Σ_inside max(r, 0) / Σ max(r, 0); 0 when no pixel is positive.";
    public override string Reference => "Arras, Osman and Samek 2022, \"CLEVR-XAI: A benchmark dataset for the ground truth evaluation of neural network explanations\"";

    public override double Score(ReadOnlySpan<float> map, GroundTruthMask mask) =>
        PixelRelevance.ShareInside(PixelRelevance.Of(Name, map, mask), mask, r => Math.Max(r, 0));
}
