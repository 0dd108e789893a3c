namespace Saliency.Attribution.Metrics.Localisation;

/// <summary>
/// Relevance rank accuracy (Arras, Osman and Samek 2022, "CLEVR-XAI: A benchmark dataset for the ground truth evaluation
/// of neural network explanations"): with K the number of pixels inside the mask, the fraction of the K most relevant
/// pixels that lie inside. Pixels tied with the K-th share the places left in proportion (Quantus' <c>RelevanceRankAccuracy</c>
/// takes them in the order its unstable sort leaves them).
/// </summary>
public sealed class RelevanceRank : LocalisationMetric
{
    public const string MetricName = "relevance-rank";

    public override string Name => MetricName;
    public override string Summary => "The share of the mask's pixels among the map's most relevant pixels, as many as the mask has (higher is better).";
    public override string Definition => "With K pixels inside, the fraction of the K most relevant that lie inside; pixels tied with the K-th share the places left in proportion.";
    public override string Reference => "Arras, Osman and Samek 2022, \"CLEVR-XAI: A benchmark dataset for the ground truth evaluation of neural network explanations\"";

    public override double Score(ReadOnlySpan<float> map, GroundTruthMask mask) =>
        PixelRelevance.TopInside(PixelRelevance.Of(Name, map, mask), mask, mask.Foreground);
}
