using Saliency.Attribution.Metrics.Localisation;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// Every metric a sweep or <c>attribute</c> can compute, each by its descriptor; the one list that specs, the command
/// line, the results columns, the verdict and the docs read. A metric is added by writing its descriptor and listing it here.
/// </summary>
public static class MetricCatalog
{
    public static IReadOnlyList<MetricDescriptor> All { get; } =
    [
        DeletionMetric.Descriptor, InsertionMetric.Descriptor, CompletenessMetric.Descriptor,
        SparsenessMetric.Descriptor, ComplexityMetric.Descriptor,
        FaithfulnessCorrelationMetric.Descriptor, InfidelityMetric.Descriptor, MaxSensitivityMetric.Descriptor, RoadMetric.Descriptor,
        .. LocalisationMetrics.Defaults,
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(m => m.Name).ToArray();

    /// <summary>The metrics of a spec that names none; with ground truth, relevance mass and the pointing game too.</summary>
    public static IReadOnlyList<string> Defaults(bool groundTruth) =>
        groundTruth
            ? [DeletionMetric.MetricName, InsertionMetric.MetricName, CompletenessMetric.MetricName, RelevanceMass.MetricName, PointingGame.MetricName]
            : [DeletionMetric.MetricName, InsertionMetric.MetricName, CompletenessMetric.MetricName];

    public static MetricDescriptor? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <exception cref="ArgumentException">No metric has that name; the message lists those that do.</exception>
    public static MetricDescriptor Get(string name) =>
        Find(name) ?? throw new ArgumentException($"unknown metric '{name}' (known: {string.Join(", ", Names)})");

    /// <summary>The column named <paramref name="column"/> of whichever metric writes it; null when none does.</summary>
    public static MetricColumn? Column(string column) => All.Select(m => m.ColumnNamed(column)).FirstOrDefault(c => c is not null);

    /// <summary>The result columns <paramref name="settings"/>' metrics write, in catalogue order.</summary>
    public static IReadOnlyList<MetricColumn> Columns(JudgingSettings settings) =>
        [.. All.Where(m => settings.Measures(m.Name)).SelectMany(m => m.Columns(settings))];

    /// <summary>Every objective a spec may name, in the order a spec without one prefers them.</summary>
    public static IReadOnlyList<ObjectiveDefinition> Objectives { get; } = [.. All.SelectMany(m => m.Objectives)];
}
