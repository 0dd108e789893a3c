using Saliency.Attribution.Metrics;
using Saliency.Attribution.Results;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// What a sweep ranks trials by, as the mean over images of one result column: any objective a metric's descriptor
/// offers (<see cref="MetricDescriptor.Objectives"/>), such as <c>insertion-deletion</c> (insertion AUC − deletion AUC,
/// higher is better), <c>deletion</c> (lower), <c>delta</c> (|completeness delta|, lower) or <c>relevance-mass</c> (higher).
/// </summary>
public sealed record SweepObjective
{
    public static SweepObjective InsertionMinusDeletion { get; } = Named(InsertionMetric.MinusDeletionObjective);
    public static SweepObjective Insertion { get; } = Named(InsertionMetric.MetricName);
    public static SweepObjective Deletion { get; } = Named(DeletionMetric.MetricName);
    /// <summary>The smallest mean |delta|: the most complete path method.</summary>
    public static SweepObjective Delta { get; } = Named(CompletenessMetric.DeltaObjective);
    /// <summary>The share of the maps' positive relevance on the evidence: the objective of a sweep with ground truth.</summary>
    public static SweepObjective RelevanceMass { get; } = Named(Saliency.Attribution.Metrics.Localisation.RelevanceMass.MetricName);

    public static IReadOnlyList<SweepObjective> All { get; } = [.. MetricCatalog.Objectives.Select(o => new SweepObjective(o))];

    public static IReadOnlyList<string> Names { get; } = All.Select(o => o.Name).ToArray();

    public static SweepObjective Default => InsertionMinusDeletion;

    /// <summary>
    /// The objective of a spec that names none: relevance mass where the spec measures it, else the first of
    /// insertion − deletion, insertion, deletion and delta whose metrics it measures, so <c>metrics: [deletion]</c> ranks
    /// by deletion; the default when none fits.
    /// </summary>
    public static SweepObjective DefaultFor(IReadOnlyCollection<string> metrics) =>
        new[] { RelevanceMass, InsertionMinusDeletion, Insertion, Deletion, Delta }.FirstOrDefault(objective => objective.Metrics.All(metrics.Contains)) ?? Default;

    static SweepObjective Named(string name) =>
        new(MetricCatalog.Objectives.FirstOrDefault(o => o.Name == name) ?? throw new InvalidOperationException($"no metric offers the objective '{name}'"));

    SweepObjective(ObjectiveDefinition definition) => this.definition = definition;

    readonly ObjectiveDefinition definition;

    public string Name => definition.Name;

    /// <summary>The result column whose trial mean is the objective.</summary>
    public string Metric => definition.Column;

    public bool HigherIsBetter => definition.HigherIsBetter;

    /// <summary>The spec metrics (<see cref="MetricCatalog.Names"/>) a sweep must measure to compute this objective.</summary>
    public IReadOnlyList<string> Metrics => definition.Needs;

    public static SweepObjective Parse(string text) =>
        All.FirstOrDefault(o => o.Name == text.Trim())
        ?? throw new ArgumentException($"unknown objective '{text}' (known: {string.Join(", ", Names)})");

    /// <summary>The image's value, or null when it lacks a metric the objective needs (delta of a non-path method).</summary>
    public double? Of(ImageOutcome image) => MetricNames.ValueOf(Metric, image);

    /// <summary>The mean over images, or null when no image has a value.</summary>
    public double? Of(IEnumerable<ImageOutcome> images)
    {
        var values = images.Select(Of).OfType<double>().ToArray();
        return values.Length == 0 ? null : values.Average();
    }

    /// <summary>The trial's mean of the objective's metric; null when it failed or measured it on no image.</summary>
    public double? ValueOf(TrialSummary summary) => summary.Failure is null ? summary.Metric(Metric)?.Mean : null;

    /// <summary>Best first; trials without a value last, in trial order.</summary>
    public IReadOnlyList<TrialSummary> Rank(IEnumerable<TrialSummary> summaries) =>
        Rank(summaries.OrderBy(summary => summary.Trial.Index), (summary, _) => ValueOf(summary));

    /// <summary>
    /// Best first by the objective's metric, whose mean <paramref name="mean"/> gives for an item (null for none); items
    /// without a value last; ties in the order given. For any view of the trials, such as their live progress.
    /// </summary>
    public IReadOnlyList<T> Rank<T>(IEnumerable<T> items, Func<T, string, double?> mean) =>
        items.Select(item => (Item: item, Value: mean(item, Metric)))
            .OrderBy(x => x.Value is null)
            .ThenBy(x => x.Value is { } value ? (HigherIsBetter ? -value : value) : 0)
            .Select(x => x.Item)
            .ToList();

    public override string ToString() => Name;
}
