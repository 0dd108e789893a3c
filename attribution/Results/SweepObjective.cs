namespace Saliency.Attribution.Results;

/// <summary>What ranks the trials of a sweep: the mean of one metric, and whether higher is better.</summary>
public sealed record SweepObjective(string Name, string Metric, bool HigherIsBetter)
{
    public static readonly SweepObjective InsertionMinusDeletion = new("insertion-deletion", MetricNames.InsertionMinusDeletion, true);
    public static readonly SweepObjective Insertion = new("insertion", MetricNames.InsertionAuc, true);
    public static readonly SweepObjective Deletion = new("deletion", MetricNames.DeletionAuc, false);
    /// <summary>The smallest mean |delta|: the most complete path method.</summary>
    public static readonly SweepObjective Delta = new("delta", MetricNames.AbsDelta, false);

    public static readonly IReadOnlyList<SweepObjective> All = new[] { InsertionMinusDeletion, Insertion, Deletion, Delta };

    public static SweepObjective Parse(string name) =>
        All.FirstOrDefault(objective => string.Equals(objective.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown objective '{name}'; known: {string.Join(", ", All.Select(o => o.Name))}", nameof(name));

    /// <summary>The trial's mean of the objective's metric; null when it failed or measured it on no image.</summary>
    public double? ValueOf(TrialSummary summary) => summary.Failure is null ? summary.Metric(Metric)?.Mean : null;

    /// <summary>Best first; trials without a value last, in trial order.</summary>
    public IReadOnlyList<TrialSummary> Rank(IEnumerable<TrialSummary> summaries) =>
        summaries
            .OrderBy(summary => ValueOf(summary) is null)
            .ThenBy(summary => ValueOf(summary) is { } value ? (HigherIsBetter ? -value : value) : 0)
            .ThenBy(summary => summary.Trial.Index)
            .ToList();

    public override string ToString() => Name;
}
