using System.Globalization;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// How many pixels deletion and insertion move per step: a count (<c>metric_step: 224</c>) or a fraction of the
/// image's pixels (<c>metric_step: 0.01</c>, a hundred steps at any size). Without either, one image row, as RISE
/// moves 224 pixels of a 224×224 image.
/// </summary>
public sealed record MetricStep
{
    MetricStep(int? pixels, double? fraction) => (Pixels, Fraction) = (pixels, fraction);

    public int? Pixels { get; }
    public double? Fraction { get; }

    public static MetricStep OfPixels(int pixels) => pixels >= 1 ? new(pixels, null)
        : throw new ArgumentOutOfRangeException(nameof(pixels), $"metric step must be at least 1 pixel, got {pixels}");

    public static MetricStep OfFraction(double fraction) => fraction is > 0 and < 1
        ? new(null, fraction)
        : throw new ArgumentOutOfRangeException(nameof(fraction), $"a metric step fraction must lie strictly between 0 and 1, got {fraction}");

    /// <summary>A whole number of at least 1 is pixels; a number strictly between 0 and 1 is a fraction of the pixels.</summary>
    public static MetricStep Parse(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pixels) && pixels >= 1) return OfPixels(pixels);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) && fraction is > 0 and < 1) return OfFraction(fraction);
        throw new ArgumentException($"metric step '{text}' is neither a whole number of pixels (at least 1) nor a fraction of the pixels between 0 and 1");
    }

    /// <summary>Pixels per step for an image of <paramref name="height"/> × <paramref name="width"/>; one row when <paramref name="step"/> is null.</summary>
    public static int Resolve(MetricStep? step, int height, int width) => step switch
    {
        { Pixels: { } pixels } => pixels,
        { Fraction: { } fraction } => Math.Max(1, (int)Math.Round(fraction * height * width)),
        _ => width,
    };

    public override string ToString() => Pixels?.ToString(CultureInfo.InvariantCulture) ?? Fraction?.ToString(CultureInfo.InvariantCulture) ?? "row";
}
