namespace Saliency.Attribution.Results;

/// <summary>
/// <c>summary.csv</c>: one row per trial, best first. Columns: trial, method, one per parameter name
/// of any trial (empty where a trial lacks it), mean and 95% interval of each metric, images,
/// seconds, images per second, failure; then the verdict: the rank under each metric that measures a quality
/// (<c>rank_METRIC</c>), whether the trial is tied with the best on the objective, its seconds per image, whether it is
/// on the Pareto front of the objective against cost, whether it is recommended, and why.
/// </summary>
public static class SummaryTable
{
    public const string FileName = "summary.csv";

    public static void Write(string path, IReadOnlyList<TrialSummary> ranked, IReadOnlyList<string> metrics, SweepVerdict verdict)
    {
        var parameters = ParameterNames(ranked);
        var rankedBy = verdict.RankedBy;
        var checks = verdict.Checks;
        using var writer = new StreamWriter(path);
        writer.WriteLine(CsvText.Row(Header(parameters, metrics).Concat(VerdictHeader(rankedBy, checks))));
        foreach (var summary in ranked)
            writer.WriteLine(CsvText.Row(Row(summary, parameters, metrics).Concat(VerdictRow(verdict.Of(summary.Trial.Index), rankedBy, checks))));
    }

    /// <summary>The column of a sanity check: <c>sanity_model_randomisation</c>, holding <c>pass</c> or <c>fail</c>.</summary>
    public static string SanityColumn(string check) => $"sanity_{check.Replace('-', '_')}";

    static IEnumerable<string> VerdictHeader(IReadOnlyList<string> rankedBy, IReadOnlyList<string> checks) =>
        checks.Select(SanityColumn)
            .Concat(rankedBy.Select(metric => $"rank_{metric}"))
            .Concat(new[] { "tied_with_best", "seconds_per_image", "pareto", "recommended", "verdict" });

    static IEnumerable<string> VerdictRow(TrialVerdict? verdict, IReadOnlyList<string> rankedBy, IReadOnlyList<string> checks) => verdict is null
        ? checks.Select(_ => "").Concat(rankedBy.Select(_ => "")).Concat(new[] { "", "", "", "", "" })
        : checks.Select(check => verdict.Sanity?.TryGetValue(check, out var pass) == true ? pass ? "pass" : "fail" : "")
            .Concat(rankedBy.Select(metric => verdict.Ranks.TryGetValue(metric, out var rank) ? CsvText.Number(rank) : ""))
            .Concat(new[]
            {
                verdict.Tied is { } tied ? (tied ? "true" : "false") : "", CsvText.Number(verdict.SecondsPerImage),
                verdict.Pareto ? "true" : "false", verdict.Recommended ? "true" : "false", verdict.Reason,
            });

    /// <summary>Every parameter name of any trial, in the order they first appear.</summary>
    public static IReadOnlyList<string> ParameterNames(IEnumerable<TrialSummary> summaries) =>
        summaries.OrderBy(summary => summary.Trial.Index).SelectMany(summary => summary.Trial.Parameters.Keys).Distinct().ToList();

    static IEnumerable<string> Header(IReadOnlyList<string> parameters, IReadOnlyList<string> metrics) =>
        new[] { "trial", "method" }
            .Concat(parameters)
            .Concat(metrics.SelectMany(metric => new[] { $"{metric}_mean", $"{metric}_ci_low", $"{metric}_ci_high" }))
            .Concat(new[] { "images", "seconds", "images_per_s", "failure" });

    static IEnumerable<string> Row(TrialSummary summary, IReadOnlyList<string> parameters, IReadOnlyList<string> metrics) =>
        new[] { CsvText.Number(summary.Trial.Index), summary.Trial.Method }
            .Concat(parameters.Select(name => summary.Trial.Parameter(name) ?? ""))
            .Concat(metrics.SelectMany(metric => summary.Metric(metric) is { } statistics
                ? new[] { CsvText.Number(statistics.Mean), CsvText.Number(statistics.Low), CsvText.Number(statistics.High) }
                : new[] { "", "", "" }))
            .Concat(new[] { CsvText.Number(summary.Images), CsvText.Number(summary.Seconds), CsvText.Number(summary.ImagesPerSecond), summary.Failure ?? "" });
}
