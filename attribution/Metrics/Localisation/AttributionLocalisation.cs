namespace Saliency.Attribution.Metrics.Localisation;

/// <summary>
/// Attribution localisation (Kohlbrenner, Bauer, Nakajima, Binder, Samek and Lapuschkin 2020, "Towards best practice in
/// explaining neural network decisions with LRP"), as Quantus' <c>AttributionLocalisation</c> computes it by default: the
/// share of the map's absolute relevance that lies inside the mask, Σ_inside |r| / Σ |r|; 0 for an all-zero map. Quantus'
/// default takes |r| (<c>abs=True</c>), so negative relevance counts as evidence by its size; its <c>positive_attributions</c>
/// clipping comes after that and changes nothing, and its <c>weighted</c> variant (off by default) is not offered here.
/// </summary>
public sealed class AttributionLocalisation : LocalisationMetric
{
    public const string MetricName = "attribution-localisation";

    public override string Name => MetricName;
    public override string Summary => "The share of the map's absolute relevance that lies inside the mask (higher is better).";
    public override string Definition => "Σ_inside |r| / Σ |r|, as Quantus' default (`abs=True`); 0 for an all-zero map.";
    public override string Reference => "Kohlbrenner et al. 2020, \"Towards best practice in explaining neural network decisions with LRP\"";

    public override double Score(ReadOnlySpan<float> map, GroundTruthMask mask) =>
        PixelRelevance.ShareInside(PixelRelevance.Of(Name, map, mask), mask, Math.Abs);
}
