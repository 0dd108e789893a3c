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
    /// <summary>ROAD's mean probability with the most relevant pixels imputed (<see cref="Metrics.Road"/>).</summary>
    public const string RoadMorf = "road_morf";
    /// <summary>ROAD's mean probability with the least relevant pixels imputed.</summary>
    public const string RoadLerf = "road_lerf";

    public static readonly IReadOnlyList<string> All =
        new[] { DeletionAuc, InsertionAuc, InsertionMinusDeletion, AbsDelta, RelativeDelta, Score, Sparseness, Complexity, ModelRandomisation, RandomLogit, FaithfulnessCorrelation, Infidelity, MaxSensitivity, RoadMorf, RoadLerf };

    /// <summary>
    /// The column of deletion or insertion under a substrate other than the spec's first: <c>deletion_auc_black</c>,
    /// <c>insertion_auc_blur5</c> for <c>blur:5</c>, <c>deletion_auc_blur2k7</c> for <c>blur:2:7</c> (apart from <c>blur:27</c>).
    /// </summary>
    public static string OfSubstrate(bool deletes, Metrics.Substrate substrate) =>
        $"{(deletes ? DeletionAuc : InsertionAuc)}_{substrate.Name.Split(':') switch
        {
            [var kind, var sigma, var size] => $"{kind}{sigma}k{size}",
            var parts => string.Concat(parts),
        }}";

    /// <summary>Whether <paramref name="metric"/> is the column of deletion or insertion under a further substrate.</summary>
    public static bool IsOtherSubstrate(string metric) => SubstrateColumn(metric) is not null;

    /// <summary>Whether <paramref name="metric"/> is a deletion (true) or insertion (false) column of a further substrate; null otherwise.</summary>
    static bool? SubstrateColumn(string metric) =>
        metric.StartsWith(DeletionAuc + "_", StringComparison.Ordinal) ? true
        : metric.StartsWith(InsertionAuc + "_", StringComparison.Ordinal) ? false : null;

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
        InsertionAuc or InsertionMinusDeletion or Sparseness or FaithfulnessCorrelation or RoadLerf => true,
        DeletionAuc or AbsDelta or Complexity or Infidelity or MaxSensitivity or RoadMorf => false,
        // The relative delta ranks as |delta| does; the score is the model's, not the map's; a sanity check passes or fails.
        RelativeDelta or Score or ModelRandomisation or RandomLogit => null,
        _ when SubstrateColumn(metric) is { } deletes => !deletes,
        _ => throw new ArgumentException($"unknown metric '{metric}'; known: {string.Join(", ", All)}", nameof(metric)),
    };

    /// <summary>Whether a result metric measures faithfulness to the model (the causal curves) rather than a map's shape or a method's own error.</summary>
    public static bool IsFaithfulness(string metric) =>
        metric is DeletionAuc or InsertionAuc or InsertionMinusDeletion or FaithfulnessCorrelation or Infidelity or RoadMorf or RoadLerf
        || SubstrateColumn(metric) is not null;

    /// <summary>The result columns a spec's metrics (<see cref="SweepSpec.MetricNames"/>) and checks yield, the model's score first.</summary>
    public static IReadOnlyList<string> ColumnsFor(SweepSpec spec)
    {
        var specMetrics = spec.Metrics;
        var columns = new List<string> { Score };
        if (specMetrics.Contains(SweepSpec.Deletion)) columns.Add(DeletionAuc);
        if (specMetrics.Contains(SweepSpec.Insertion)) columns.Add(InsertionAuc);
        if (specMetrics.Contains(SweepSpec.Deletion)) columns.AddRange(spec.DeletionSubstrates.Skip(1).Select(s => OfSubstrate(true, s)));
        if (specMetrics.Contains(SweepSpec.Insertion)) columns.AddRange(spec.InsertionSubstrates.Skip(1).Select(s => OfSubstrate(false, s)));
        if (specMetrics.Contains(SweepSpec.Deletion) && specMetrics.Contains(SweepSpec.Insertion)) columns.Add(InsertionMinusDeletion);
        if (specMetrics.Contains(SweepSpec.Completeness)) columns.AddRange([AbsDelta, RelativeDelta]);
        if (specMetrics.Contains(SweepSpec.Sparseness)) columns.Add(Sparseness);
        if (specMetrics.Contains(SweepSpec.Complexity)) columns.Add(Complexity);
        if (specMetrics.Contains(SweepSpec.FaithfulnessCorrelation)) columns.Add(FaithfulnessCorrelation);
        if (specMetrics.Contains(SweepSpec.Infidelity)) columns.Add(Infidelity);
        if (specMetrics.Contains(SweepSpec.MaxSensitivity)) columns.Add(MaxSensitivity);
        if (specMetrics.Contains(SweepSpec.Road)) columns.AddRange([RoadMorf, RoadLerf]);
        foreach (var check in spec.Sanity) columns.Add(OfCheck(check));
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
        RoadMorf => image.RoadMorf,
        RoadLerf => image.RoadLerf,
        _ when SubstrateColumn(metric) is not null => image.OtherSubstrates?.TryGetValue(metric, out var auc) == true ? auc : null,
        _ => throw new ArgumentException($"unknown metric '{metric}'; known: {string.Join(", ", All)}", nameof(metric)),
    };

    public static void Validate(IEnumerable<string> metrics)
    {
        var unknown = metrics.Where(metric => !All.Contains(metric) && SubstrateColumn(metric) is null).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown metric{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}; known: {string.Join(", ", All)}");
    }
}
