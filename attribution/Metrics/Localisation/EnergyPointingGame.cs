namespace Saliency.Attribution.Metrics.Localisation;

/// <summary>
/// The energy-based pointing game (Wang, Wang, Du, Yang, Zhang, Ding, Mardziel and Hu 2020, "Score-CAM: Score-weighted
/// visual explanations for convolutional neural networks"): the share of the map's energy that falls inside the object's
/// bounding box. The paper's maps are class activation maps after a ReLU, so their energy is their positive part here,
/// Σ_box max(r, 0) / Σ max(r, 0), 0 when no pixel is positive. With <paramref name="boundingBox"/> (the paper's setting)
/// the region is the smallest box around the mask; without it, the mask itself, where the score equals
/// <see cref="RelevanceMass"/>'s.
/// </summary>
public sealed class EnergyPointingGame(bool boundingBox = true) : LocalisationMetric
{
    public const string MetricName = "energy-pointing-game";

    public bool BoundingBox { get; } = boundingBox;

    public override string Name => MetricName;
    public override string Summary => "The share of the map's positive energy inside the mask's bounding box (higher is better).";
    public override string Definition => BoundingBox
        ? "Σ_box max(r, 0) / Σ max(r, 0) over the smallest box around the mask; 0 when no pixel is positive."
        : "Σ_inside max(r, 0) / Σ max(r, 0), as relevance mass; 0 when no pixel is positive.";
    public override string Reference => "Wang et al. 2020, \"Score-CAM: Score-weighted visual explanations for convolutional neural networks\"";
    public override IReadOnlyList<MetricParameter> Parameters => [new(nameof(boundingBox), BoundingBox)];

    public override double Score(ReadOnlySpan<float> map, GroundTruthMask mask)
    {
        var relevance = PixelRelevance.Of(Name, map, mask);
        return PixelRelevance.ShareInside(relevance, BoundingBox ? mask.BoundingBox() : mask, r => Math.Max(r, 0));
    }
}
