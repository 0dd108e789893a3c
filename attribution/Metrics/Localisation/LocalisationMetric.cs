using System.Globalization;

namespace Saliency.Attribution.Metrics.Localisation;

/// <summary>
/// A score of how well an attribution map finds the evidence a <see cref="GroundTruthMask"/> marks. The map is shaped as
/// the input (channels × height × width) and is read per pixel, summed over its channels; higher is better for every one.
/// As a sweep metric it writes one column, its name with '_' for '-', on the images that have masks.
/// </summary>
public abstract class LocalisationMetric : MetricDescriptor
{
    public abstract double Score(ReadOnlySpan<float> map, GroundTruthMask mask);

    public string Column => LocalisationMetrics.Column(Name);

    public override bool NeedsGroundTruth => true;

    /// <summary>Its settings as this instance holds them, by their constructor names; none for a metric without any.</summary>
    public virtual IReadOnlyList<MetricParameter> Parameters => [];

    public override IReadOnlyList<MetricColumn> Columns(JudgingSettings settings) => [new(Column, true, MetricKind.Localisation)];

    public override void Measure(ImageJudging judging)
    {
        for (var i = 0; i < judging.Count; i++)
            if (judging.MaskOf(i) is { } mask)
                judging.Record(i, Column, Score(judging.Maps[i].Map, mask));
    }
}

/// <summary>A localisation metric's setting: its constructor parameter's name and its value, as Markdown shows it.</summary>
public sealed record MetricParameter(string Name, string Value)
{
    public MetricParameter(string name, double value) : this(name, value.ToString(CultureInfo.InvariantCulture)) { }

    public MetricParameter(string name, bool value) : this(name, value ? "true" : "false") { }
}

/// <summary>The localisation metrics with their defaults, as sweeps compute them.</summary>
public static class LocalisationMetrics
{
    public static IReadOnlyList<LocalisationMetric> Defaults { get; } =
    [
        new PointingGame(), new RelevanceMass(), new RelevanceRank(), new TopKIntersection(),
        new AttributionLocalisation(), new EnergyPointingGame(), new MaskAuc(),
    ];

    public static string Column(string name) => name.Replace('-', '_');
}
