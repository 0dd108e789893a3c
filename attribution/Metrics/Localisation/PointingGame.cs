using System.Globalization;

namespace Saliency.Attribution.Metrics.Localisation;

/// <summary>
/// The pointing game (Zhang, Bargal, Lin, Brandt, Shen and Sclaroff 2018, "Top-down neural attention by excitation
/// backprop"): 1 when the map's most relevant pixel lies on the evidence, else 0. As in the paper, a miss by less than a
/// tolerance counts as a hit: the paper's 15 pixels at 224 × 224 (<paramref name="radius"/> at <paramref name="referenceSide"/>)
/// scale with the image's shorter side, and the maximum hits when some pixel inside lies within that Euclidean distance of
/// it, centre to centre. A radius of 0 asks for the maximum itself to lie inside, as Quantus' <c>PointingGame</c> does.
/// </summary>
/// <remarks>
/// Where several pixels share the maximum, the score is the fraction of them that hit: what breaking the tie at random
/// scores on average. Quantus counts a hit when any of them does, which gives an all-zero map a hit on every mask.
/// </remarks>
public sealed class PointingGame(double radius = PointingGame.DefaultRadius, int referenceSide = PointingGame.DefaultReferenceSide) : LocalisationMetric
{
    public const string MetricName = "pointing-game";
    public const double DefaultRadius = 15;
    public const int DefaultReferenceSide = 224;

    public double Radius { get; } = radius >= 0 && double.IsFinite(radius) ? radius
        : throw new ArgumentOutOfRangeException(nameof(radius), radius, "the pointing game's tolerance is a distance of 0 pixels or more");
    public int ReferenceSide { get; } = referenceSide >= 1 ? referenceSide
        : throw new ArgumentOutOfRangeException(nameof(referenceSide), referenceSide, "the side the tolerance is given at is 1 pixel or more");

    public override string Name => MetricName;
    public override string Summary => "Whether the map's maximum lies on the mask, within a tolerance scaled to the image (higher is better).";
    public override string Definition => string.Create(CultureInfo.InvariantCulture,
        $"1 when the maximum of r lies within {Radius}·min(H, W) / {ReferenceSide} pixels ({RadiusAt(28, 28)} at 28 × 28) of a pixel inside, " +
        $"Euclidean between pixel centres, the edge included; else 0. Where several pixels share the maximum, the fraction of them that hit.");
    public override string Reference => "Zhang et al. 2018, \"Top-down neural attention by excitation backprop\"";
    public override IReadOnlyList<MetricParameter> Parameters => [new(nameof(radius), Radius), new(nameof(referenceSide), ReferenceSide)];

    /// <summary>The tolerance in pixels of a <paramref name="height"/> × <paramref name="width"/> image.</summary>
    public double RadiusAt(int height, int width) => Radius * Math.Min(height, width) / ReferenceSide;

    public override double Score(ReadOnlySpan<float> map, GroundTruthMask mask)
    {
        var relevance = PixelRelevance.Of(Name, map, mask);
        var maximum = relevance.Max();
        int maxima = 0, hits = 0;
        for (var p = 0; p < relevance.Length; p++)
            if (relevance[p] == maximum)
            {
                maxima++;
                if (Hits(mask, p / mask.Width, p % mask.Width)) hits++;
            }
        return (double)hits / maxima;
    }

    bool Hits(GroundTruthMask mask, int row, int column)
    {
        // d ≤ Radius·side/ReferenceSide, squared and multiplied out, so that integer distances on the edge compare exactly.
        var side = (double)Math.Min(mask.Height, mask.Width);
        var scaled = Radius * side;
        var reach = (int)Math.Floor(RadiusAt(mask.Height, mask.Width)) + 1;
        for (var y = Math.Max(0, row - reach); y <= Math.Min(mask.Height - 1, row + reach); y++)
            for (var x = Math.Max(0, column - reach); x <= Math.Min(mask.Width - 1, column + reach); x++)
            {
                var squared = (double)(y - row) * (y - row) + (double)(x - column) * (x - column);
                if (mask[y, x] && squared * ReferenceSide * ReferenceSide <= scaled * scaled) return true;
            }
        return false;
    }
}
