using Saliency.Attribution.Metrics;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>
/// The per-image columns a trial is summarised by: the model's score, each metric's columns as its descriptor names them
/// (<see cref="MetricCatalog"/>), and the sanity checks' numbers.
/// </summary>
public static class MetricNames
{
    public const string Score = "score";
    /// <summary>Spearman's ρ of |map| with the map once every layer is randomised (<see cref="Sanity.SanityChecks"/>).</summary>
    public const string ModelRandomisation = "model_randomisation";
    /// <summary>Spearman's ρ of |map| with the map of a random other class.</summary>
    public const string RandomLogit = "random_logit";

    /// <summary>Every column a sweep with the default substrates can write: the score, each metric's columns, the checks'.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Score,
        .. MetricCatalog.Columns(JudgingSettings.Default with { Metrics = MetricCatalog.Names }).Select(c => c.Name),
        ModelRandomisation, RandomLogit,
    ];

    /// <summary>Whether <paramref name="metric"/> is the column of deletion or insertion under a further substrate.</summary>
    public static bool IsOtherSubstrate(string metric) =>
        metric.StartsWith(DeletionMetric.AucColumn + "_", StringComparison.Ordinal) || metric.StartsWith(InsertionMetric.AucColumn + "_", StringComparison.Ordinal);

    /// <summary>The result metric that holds a sanity check's number, by the check's name in a spec.</summary>
    public static string OfCheck(string check) => check switch
    {
        Sanity.SanityChecks.ModelRandomisationName => ModelRandomisation,
        Sanity.SanityChecks.RandomLogitName => RandomLogit,
        _ => throw new ArgumentException($"unknown sanity check '{check}' (known: {string.Join(", ", Sanity.SanityChecks.Names)})", nameof(check)),
    };

    /// <summary>
    /// Whether a higher value of a result column is better; null for one that is no measure of quality (the model's score,
    /// a sanity check, which passes or fails). The paired comparison ranks the rest; the verdict says which are about
    /// faithfulness.
    /// </summary>
    public static bool? HigherIsBetter(string metric) => metric switch
    {
        Score or ModelRandomisation or RandomLogit => null,
        _ => ColumnOf(metric).HigherIsBetter,
    };

    /// <summary>Whether a result column measures faithfulness to the model (the causal curves) rather than a map's shape or a method's own error.</summary>
    public static bool IsFaithfulness(string metric) => MetricCatalog.Column(metric)?.Kind == MetricKind.Faithfulness;

    /// <summary>Whether a result column scores maps against ground truth.</summary>
    public static bool IsLocalisation(string metric) => MetricCatalog.Column(metric)?.Kind == MetricKind.Localisation;

    /// <summary>The result columns a spec's metrics and checks yield, the model's score first.</summary>
    public static IReadOnlyList<string> ColumnsFor(SweepSpec spec) =>
        [Score, .. MetricCatalog.Columns(spec.Judging).Select(c => c.Name), .. spec.Sanity.Select(OfCheck)];

    /// <summary>The value of <paramref name="metric"/> on one image; null where it was not measured.</summary>
    public static double? ValueOf(string metric, ImageOutcome image) => metric switch
    {
        Score => image.Score,
        ModelRandomisation => image.ModelRandomisation is { Count: > 0 } cascade ? cascade[^1] : null,
        RandomLogit => image.Metric(RandomLogit),
        _ => ColumnOf(metric).ValueOf(image),
    };

    /// <summary>Every column that has a value on <paramref name="image"/>: its stored values and the columns derived from them.</summary>
    public static IEnumerable<(string Column, double Value)> ValuesOf(ImageOutcome image)
    {
        yield return (Score, image.Score);
        if (ValueOf(ModelRandomisation, image) is { } rho) yield return (ModelRandomisation, rho);
        foreach (var (column, value) in image.Metrics ?? new Dictionary<string, double>()) yield return (column, value);
        foreach (var derived in Derived)
            if (derived.ValueOf(image) is { } value) yield return (derived.Name, value);
    }

    static readonly IReadOnlyList<MetricColumn> Derived =
        [.. MetricCatalog.Columns(JudgingSettings.Default with { Metrics = MetricCatalog.Names }).Where(c => c.Derive is not null)];

    public static void Validate(IEnumerable<string> metrics)
    {
        var unknown = metrics.Where(metric => metric is not (Score or ModelRandomisation or RandomLogit) && MetricCatalog.Column(metric) is null).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown metric{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}; known: {string.Join(", ", All)}");
    }

    static MetricColumn ColumnOf(string metric) =>
        MetricCatalog.Column(metric) ?? throw new ArgumentException($"unknown metric '{metric}'; known: {string.Join(", ", All)}", nameof(metric));
}
