using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>The per-image metrics a trial is summarised by, under the names used in every results file.</summary>
public static class MetricNames
{
    public const string DeletionAuc = "deletion_auc";
    public const string InsertionAuc = "insertion_auc";
    /// <summary>Insertion AUC minus deletion AUC, on the images where both were measured.</summary>
    public const string InsertionMinusDeletion = "insertion_minus_deletion";
    /// <summary>|Delta|, the completeness error of path methods.</summary>
    public const string AbsDelta = "abs_delta";
    public const string RelativeDelta = "relative_delta";
    public const string Score = "score";
    /// <summary>The Gini index of |map| (<see cref="Metrics.MapStatistics.Sparseness"/>).</summary>
    public const string Sparseness = "sparseness";
    /// <summary>The entropy of |map| (<see cref="Metrics.MapStatistics.Complexity"/>).</summary>
    public const string Complexity = "complexity";

    /// <summary>Spearman's ρ of |map| with the map once every layer is randomised (<see cref="Sanity.SanityChecks"/>).</summary>
    public const string ModelRandomisation = "model_randomisation";
    /// <summary>Spearman's ρ of |map| with the map of a random other class.</summary>
    public const string RandomLogit = "random_logit";
    /// <summary>Pearson's r between a map's subset sums and the score drops (<see cref="Metrics.FaithfulnessCorrelation"/>).</summary>
    public const string FaithfulnessCorrelation = "faithfulness_correlation";
    /// <summary>Captum's normalised infidelity (<see cref="Metrics.Infidelity"/>).</summary>
    public const string Infidelity = "infidelity";
    /// <summary>Captum's max-sensitivity (<see cref="Metrics.MaxSensitivity"/>).</summary>
    public const string MaxSensitivity = "max_sensitivity";

    public static readonly IReadOnlyList<string> All =
        new[] { DeletionAuc, InsertionAuc, InsertionMinusDeletion, AbsDelta, RelativeDelta, Score, Sparseness, Complexity, ModelRandomisation, RandomLogit, FaithfulnessCorrelation, Infidelity, MaxSensitivity };

    /// <summary>The result metric that holds a sanity check's number, by the check's name in a spec.</summary>
    public static string OfCheck(string check) => check switch
    {
        Sanity.SanityChecks.ModelRandomisationName => ModelRandomisation,
        Sanity.SanityChecks.RandomLogitName => RandomLogit,
        _ => throw new ArgumentException($"unknown sanity check '{check}' (known: {string.Join(", ", Sanity.SanityChecks.Names)})", nameof(check)),
    };

    /// <summary>
    /// Whether a higher value of a result metric is better; null for one that is no measure of quality (the model's score).
    /// A map's sparseness counts as better when higher and its complexity when lower, as Quantus reads them, though a
    /// map can be sparse and wrong: the paired comparison ranks them, the verdict says which are about faithfulness.
    /// </summary>
    public static bool? HigherIsBetter(string metric) => metric switch
    {
        InsertionAuc or InsertionMinusDeletion or Sparseness or FaithfulnessCorrelation => true,
        DeletionAuc or AbsDelta or Complexity or Infidelity or MaxSensitivity => false,
        // The relative delta ranks as |delta| does; the score is the model's, not the map's; a sanity check passes or fails.
        RelativeDelta or Score or ModelRandomisation or RandomLogit => null,
        _ => throw new ArgumentException($"unknown metric '{metric}'; known: {string.Join(", ", All)}", nameof(metric)),
    };

    /// <summary>Whether a result metric measures faithfulness to the model (the causal curves) rather than a map's shape or a method's own error.</summary>
    public static bool IsFaithfulness(string metric) => metric is DeletionAuc or InsertionAuc or InsertionMinusDeletion or FaithfulnessCorrelation or Infidelity;

    /// <summary>The result columns the spec's metrics (<see cref="SweepSpec.MetricNames"/>) yield, the model's score first.</summary>
    public static IReadOnlyList<string> ColumnsFor(IReadOnlyList<string> specMetrics, IReadOnlyList<string>? sanity = null)
    {
        var columns = new List<string> { Score };
        if (specMetrics.Contains(SweepSpec.Deletion)) columns.Add(DeletionAuc);
        if (specMetrics.Contains(SweepSpec.Insertion)) columns.Add(InsertionAuc);
        if (specMetrics.Contains(SweepSpec.Deletion) && specMetrics.Contains(SweepSpec.Insertion)) columns.Add(InsertionMinusDeletion);
        if (specMetrics.Contains(SweepSpec.Completeness)) columns.AddRange([AbsDelta, RelativeDelta]);
        if (specMetrics.Contains(SweepSpec.Sparseness)) columns.Add(Sparseness);
        if (specMetrics.Contains(SweepSpec.Complexity)) columns.Add(Complexity);
        if (specMetrics.Contains(SweepSpec.FaithfulnessCorrelation)) columns.Add(FaithfulnessCorrelation);
        if (specMetrics.Contains(SweepSpec.Infidelity)) columns.Add(Infidelity);
        if (specMetrics.Contains(SweepSpec.MaxSensitivity)) columns.Add(MaxSensitivity);
        foreach (var check in sanity ?? []) columns.Add(OfCheck(check));
        return columns;
    }

    /// <summary>The value of <paramref name="metric"/> on one image; null where it was not measured.</summary>
    public static double? ValueOf(string metric, ImageOutcome image) => metric switch
    {
        DeletionAuc => image.DeletionAuc,
        InsertionAuc => image.InsertionAuc,
        InsertionMinusDeletion => image is { InsertionAuc: { } insertion, DeletionAuc: { } deletion } ? insertion - deletion : null,
        AbsDelta => image.Delta is { } delta ? Math.Abs(delta) : null,
        RelativeDelta => image.RelativeDelta,
        Score => image.Score,
        Sparseness => image.Sparseness,
        Complexity => image.Complexity,
        ModelRandomisation => image.ModelRandomisation is { Count: > 0 } cascade ? cascade[^1] : null,
        RandomLogit => image.RandomLogit,
        FaithfulnessCorrelation => image.FaithfulnessCorrelation,
        Infidelity => image.Infidelity,
        MaxSensitivity => image.MaxSensitivity,
        _ => throw new ArgumentException($"unknown metric '{metric}'; known: {string.Join(", ", All)}", nameof(metric)),
    };

    public static void Validate(IEnumerable<string> metrics)
    {
        var unknown = metrics.Where(metric => !All.Contains(metric)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown metric{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}; known: {string.Join(", ", All)}");
    }
}
