using System.Globalization;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// Where deletion and insertion score their curves: every step of a count of pixels (<c>metric_step: 224</c>) or of a
/// fraction of the image's pixels (<c>metric_step: 0.01</c>, a hundred steps at any size); or, with a tolerance
/// (<c>metric_tolerance: 0.005</c>), only as many one-row steps as it takes to bound the AUC's error against the full
/// row-step curve by that much (<see cref="AdaptiveCurve"/>), most of them by the model's bfloat16 copy where that runs
/// faster (<c>metric_proxy: auto</c>, the default; <see cref="ProxiedCurve"/>). Without any of these, every one-row step,
/// as RISE moves 224 pixels of a 224×224 image.
/// </summary>
public sealed record MetricStep
{
    MetricStep(int? pixels, double? fraction, double? tolerance, bool proxy = false) =>
        (Pixels, Fraction, Tolerance, Proxy) = (pixels, fraction, tolerance, proxy);

    public int? Pixels { get; }
    public double? Fraction { get; }
    /// <summary>The largest AUC error, against the row-step curve, the curve may be estimated to; null scores every step.</summary>
    public double? Tolerance { get; }

    /// <summary>
    /// With a tolerance, whether a cheaper copy of the model may score most of the curve's points where it runs faster
    /// (<c>metric_proxy: auto</c>); with <c>none</c>, every point is the model's own.
    /// </summary>
    public bool Proxy { get; }

    /// <summary>The values <c>metric_proxy</c> takes.</summary>
    public const string AutoProxy = "auto", NoProxy = "none";

    public static MetricStep OfPixels(int pixels) => pixels >= 1 ? new(pixels, null, null)
        : throw new ArgumentOutOfRangeException(nameof(pixels), $"metric step must be at least 1 pixel, got {pixels}");

    public static MetricStep OfFraction(double fraction) => fraction is > 0 and < 1
        ? new(null, fraction, null)
        : throw new ArgumentOutOfRangeException(nameof(fraction), $"a metric step fraction must lie strictly between 0 and 1, got {fraction}");

    /// <summary>
    /// One-row steps, as few as bound the AUC's error by <paramref name="tolerance"/> (AUC units, strictly between 0 and 1),
    /// scored through a proxy where one runs faster unless <paramref name="proxy"/> is false.
    /// </summary>
    public static MetricStep ToTolerance(double tolerance, bool proxy = true) => tolerance is > 0 and < 1
        ? new(null, null, tolerance, proxy)
        : throw new ArgumentOutOfRangeException(nameof(tolerance), $"a metric tolerance must lie strictly between 0 and 1 (AUC units), got {tolerance}");

    /// <summary>This tolerance, with a proxy allowed or not; only a curve to a tolerance takes one.</summary>
    public MetricStep WithProxy(bool proxy) => Tolerance is { } tolerance
        ? new(null, null, tolerance, proxy)
        : throw new InvalidOperationException(ProxyWithoutTolerance("a proxy", "a tolerance"));

    /// <summary>A whole number of at least 1 is pixels; a number strictly between 0 and 1 is a fraction of the pixels.</summary>
    public static MetricStep Parse(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pixels) && pixels >= 1) return OfPixels(pixels);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) && fraction is > 0 and < 1) return OfFraction(fraction);
        throw new ArgumentException($"metric step '{text}' is neither a whole number of pixels (at least 1) nor a fraction of the pixels between 0 and 1");
    }

    /// <summary>A metric tolerance as written: a number strictly between 0 and 1, in AUC units.</summary>
    public static MetricStep ParseTolerance(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var tolerance) && tolerance is > 0 and < 1
            ? ToTolerance(tolerance)
            : throw new ArgumentException($"metric tolerance '{text}' is not a number strictly between 0 and 1 (AUC units)");

    /// <summary>
    /// <c>metric_proxy</c> as written: <c>auto</c> (a proxy where it runs faster) or <c>none</c> (every point the model's);
    /// <paramref name="field"/> names it in the error.
    /// </summary>
    public static bool ParseProxy(string text, string field) => text switch
    {
        AutoProxy => true,
        NoProxy => false,
        _ => throw new ArgumentException($"{field} '{text}' is neither {AutoProxy} nor {NoProxy}"),
    };

    /// <summary>The one error a proxy without a tolerance gives: only a curve to a tolerance has points to spare.</summary>
    public static string ProxyWithoutTolerance(string proxy, string tolerance) =>
        $"{proxy} is given without {tolerance}: a proxy scores points of curves to a tolerance, and without one every step is the model's";

    /// <summary>The one error both a step and a tolerance give: the curve is either every step or to a tolerance.</summary>
    public static string BothGiven(string step, string tolerance) =>
        $"{step} and {tolerance} are both given: a curve is scored at every step of {step}, or to the AUC error of {tolerance}, not both";

    /// <summary>Pixels per step for an image of <paramref name="height"/> × <paramref name="width"/>; one row when <paramref name="step"/> is null or a tolerance.</summary>
    public static int Resolve(MetricStep? step, int height, int width) => step switch
    {
        { Pixels: { } pixels } => pixels,
        { Fraction: { } fraction } => Math.Max(1, (int)Math.Round(fraction * height * width)),
        _ => width,
    };

    public override string ToString() => Pixels?.ToString(CultureInfo.InvariantCulture) ?? Fraction?.ToString(CultureInfo.InvariantCulture)
        ?? (Tolerance is { } t ? $"row, to {t.ToString(CultureInfo.InvariantCulture)}{(Proxy ? "" : ", no proxy")}" : "row");
}
