namespace Saliency.Attribution.Results;

/// <summary>
/// <c>summary.csv</c>: one row per trial, best first. Columns: trial, method, one per parameter name
/// of any trial (empty where a trial lacks it), mean and 95% interval of each metric, images,
/// seconds, images per second, failure.
/// </summary>
public static class SummaryTable
{
    public const string FileName = "summary.csv";

    public static void Write(string path, IReadOnlyList<TrialSummary> ranked, IReadOnlyList<string> metrics)
    {
        var parameters = ParameterNames(ranked);
        using var writer = new StreamWriter(path);
        writer.WriteLine(CsvText.Row(Header(parameters, metrics)));
        foreach (var summary in ranked)
            writer.WriteLine(CsvText.Row(Row(summary, parameters, metrics)));
    }

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
