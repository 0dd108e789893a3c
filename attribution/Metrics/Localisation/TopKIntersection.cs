using System.Globalization;

namespace Saliency.Attribution.Metrics.Localisation;

/// <summary>
/// Top-k intersection (Theiner, Müller-Budack and Ewerth 2021, "Interpretable semantic photo geolocation",
/// arXiv:2104.14995): the fraction of the k most relevant pixels that lie inside the mask. Quantus' default, k = 1000 at
/// 224 × 224 (2% of the pixels), is given as <paramref name="k"/> pixels of a <paramref name="referenceSide"/>² image and
/// scales with the image's area: k·H·W/referenceSide², rounded half away from zero, at least 1 (16 pixels at 28 × 28).
/// Ties with the k-th pixel share the places left in proportion, as in <see cref="RelevanceRank"/>.
/// </summary>
public sealed class TopKIntersection(int k = TopKIntersection.DefaultK, int referenceSide = TopKIntersection.DefaultReferenceSide) : LocalisationMetric
{
    public const string MetricName = "top-k-intersection";
    public const int DefaultK = 1000;
    public const int DefaultReferenceSide = 224;

    public int ReferenceSide { get; } = referenceSide >= 1 ? referenceSide
        : throw new ArgumentOutOfRangeException(nameof(referenceSide), referenceSide, "the side k is given at is 1 pixel or more");
    public int K { get; } = k >= 1 && (long)k <= (long)referenceSide * referenceSide ? k
        : throw new ArgumentOutOfRangeException(nameof(k), k, $"k is between 1 and the {referenceSide}² pixels it is given at");

    public override string Name => MetricName;
    public override string Summary => "The share of the map's k most relevant pixels that lie inside the mask (higher is better).";
    public override string Definition => string.Create(CultureInfo.InvariantCulture,
        $"The fraction of the k most relevant pixels that lie inside, k = {K}·H·W / {ReferenceSide}², rounded half away from zero, at least 1 " +
        $"({KAt(28, 28)} at 28 × 28); pixels tied with the k-th share the places left in proportion.");
    public override string Reference => "Theiner, Müller-Budack and Ewerth 2021, \"Interpretable semantic photo geolocation\"";
    public override IReadOnlyList<MetricParameter> Parameters => [new(nameof(k), K), new(nameof(referenceSide), ReferenceSide)];

    /// <summary>k in pixels of a <paramref name="height"/> × <paramref name="width"/> image.</summary>
    public int KAt(int height, int width) =>
        (int)Math.Max(1, Math.Round((double)K * height * width / ((double)ReferenceSide * ReferenceSide), MidpointRounding.AwayFromZero));

    public override double Score(ReadOnlySpan<float> map, GroundTruthMask mask) =>
        PixelRelevance.TopInside(PixelRelevance.Of(Name, map, mask), mask, KAt(mask.Height, mask.Width));
}
