namespace Saliency.Attribution.Metrics.Localisation;

/// <summary>
/// A score of how well an attribution map finds the evidence a <see cref="GroundTruthMask"/> marks. The map is shaped as
/// the input (channels × height × width) and is read per pixel, summed over its channels; higher is better for every one.
/// </summary>
public interface ILocalisationMetric
{
    /// <summary>The metric's name in a spec; its result column is the same with '_' for '-' (<see cref="LocalisationMetrics.Column"/>).</summary>
    string Name { get; }

    double Score(ReadOnlySpan<float> map, GroundTruthMask mask);
}

/// <summary>The localisation metrics with their defaults, the one list every surface reads.</summary>
public static class LocalisationMetrics
{
    public static IReadOnlyList<ILocalisationMetric> Defaults { get; } =
    [
        new PointingGame(), new RelevanceMass(), new RelevanceRank(), new TopKIntersection(),
        new AttributionLocalisation(), new EnergyPointingGame(), new MaskAuc(),
    ];

    public static string Column(string name) => name.Replace('-', '_');
}
