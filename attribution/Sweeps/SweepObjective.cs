using Saliency.Attribution.Results;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// What a sweep ranks trials by, as the mean over images of a per-image value:
/// <c>insertion-deletion</c> (insertion AUC − deletion AUC, higher is better), <c>insertion</c> (higher),
/// <c>deletion</c> (lower) or <c>delta</c> (|completeness delta|, lower).
/// </summary>
public sealed record SweepObjective
{
    public static readonly SweepObjective InsertionMinusDeletion = new("insertion-deletion", MetricNames.InsertionMinusDeletion, true);
    public static readonly SweepObjective Insertion = new("insertion", MetricNames.InsertionAuc, true);
    public static readonly SweepObjective Deletion = new("deletion", MetricNames.DeletionAuc, false);
    /// <summary>The smallest mean |delta|: the most complete path method.</summary>
    public static readonly SweepObjective Delta = new("delta", MetricNames.AbsDelta, false);

    public static IReadOnlyList<SweepObjective> All { get; } = new[] { InsertionMinusDeletion, Insertion, Deletion, Delta };

    public static IReadOnlyList<string> Names { get; } = All.Select(o => o.Name).ToArray();

    public static SweepObjective Default => InsertionMinusDeletion;

    /// <summary>
    /// The objective of a spec that names none: the first of insertion − deletion, insertion, deletion and delta whose
    /// metrics the spec measures, so <c>metrics: [deletion]</c> ranks by deletion; the default when none fits.
    /// </summary>
    public static SweepObjective DefaultFor(IReadOnlyCollection<string> metrics) =>
        All.FirstOrDefault(objective => objective.Metrics.All(metrics.Contains)) ?? Default;

    SweepObjective(string name, string metric, bool higherIsBetter) => (Name, Metric, HigherIsBetter) = (name, metric, higherIsBetter);

    public string Name { get; }

    /// <summary>The result metric (<see cref="MetricNames"/>) whose trial mean is the objective.</summary>
    public string Metric { get; }

    public bool HigherIsBetter { get; }

    /// <summary>The spec metrics (<see cref="SweepSpec.MetricNames"/>) a sweep must measure to compute this objective.</summary>
    public IReadOnlyList<string> Metrics => Name switch
    {
        "insertion-deletion" => new[] { SweepSpec.Deletion, SweepSpec.Insertion },
        "insertion" => new[] { SweepSpec.Insertion },
        "deletion" => new[] { SweepSpec.Deletion },
        _ => new[] { SweepSpec.Completeness },
    };

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
