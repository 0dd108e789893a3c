namespace Saliency.Attribution.Methods;

/// <summary>
/// One image's attribution map (flattened channel-first, shaped like the input) with what it explains.
/// Plain values, so it can be stored or sent to another machine as it is.
/// </summary>
public sealed record ImageAttribution(
    int Key,
    int Target,
    float[] Map,
    double Score,
    PathCompleteness? Completeness,
    int Steps,
    double Seconds);

/// <summary>
/// The completeness check of a path method (Sundararajan et al. 2017, axiom of completeness):
/// the attributions should sum to F(x) − F(x′); <see cref="Delta"/> is how far they miss.
/// </summary>
public sealed record PathCompleteness(double BaselineScore, double AttributionSum, double Delta)
{
    /// <summary>The least |F(x) − F(x′)| that <see cref="RelativeDelta"/> divides by, so that equal scores give no infinity.</summary>
    public const double SmallestDifference = 1e-12;

    public double RelativeDelta(double score) => Math.Abs(Delta) / Math.Max(Math.Abs(score - BaselineScore), SmallestDifference);
}
