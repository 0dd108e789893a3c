using System.Globalization;
using System.Net;
using System.Text;
using Saliency.Attribution.Statistics;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>
/// <c>report.html</c>: one self-contained page (inline style, no scripts, nothing fetched) with the
/// verdict on each trial, the findings about the metrics, the summary table best first, the paired comparison with the
/// best on the objective, the charts and comparison sheet by relative path, and links to the tables.
/// All text from the sweep is HTML-escaped.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "report.html";

    const string Style = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em; color: #222; }
        table { border-collapse: collapse; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }
        th { background: #f2f2f2; }
        td.text { text-align: left; }
        td.failure { color: #a00; text-align: left; }
        td.reason { text-align: left; max-width: 48em; }
        tr.recommended td { background: #eef7ee; }
        img { max-width: 100%; border: 1px solid #ddd; margin: 0.5em 0; }
        """;

    public static void Write(string path, string sweepName, SweepObjective objective, IReadOnlyList<TrialSummary> ranked,
        IReadOnlyList<string> metrics, IReadOnlyList<string> plots, string? comparison, IReadOnlyList<string> tables, SweepVerdict? verdict = null)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine(CultureInfo.InvariantCulture, $"<title>{Escape(sweepName)}: sweep results</title>");
        html.AppendLine($"<style>{Style}</style></head><body>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<h1>{Escape(sweepName)}</h1>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<p>{ranked.Count} trials, ranked by {Escape(objective.Name)} (mean " +
            $"{Escape(objective.Metric)}, {(objective.HigherIsBetter ? "higher" : "lower")} is better). Intervals are 95% intervals of the mean.</p>");

        if (verdict is not null) AppendVerdict(html, ranked, verdict);

        html.AppendLine("<h2>Trials</h2>");
        AppendSummaryTable(html, ranked, metrics);
        if (verdict?.ComparisonOf(objective.Metric) is { } paired) AppendPaired(html, ranked, paired);

        if (plots.Count > 0)
        {
            html.AppendLine("<h2>Charts</h2>");
            foreach (var plot in plots)
                html.AppendLine(CultureInfo.InvariantCulture, $"<p><img src=\"{Escape(plot)}\" alt=\"{Escape(Path.GetFileNameWithoutExtension(plot).Replace('_', ' '))}\"></p>");
        }
        if (comparison is not null)
        {
            html.AppendLine("<h2>Sampled maps</h2>");
            html.AppendLine(CultureInfo.InvariantCulture, $"<p><img src=\"{Escape(comparison)}\" alt=\"maps of sampled images under the best trials\"></p>");
        }

        html.AppendLine("<h2>Tables</h2><ul>");
        foreach (var table in tables)
            html.AppendLine(CultureInfo.InvariantCulture, $"<li><a href=\"{Escape(table)}\">{Escape(table)}</a></li>");
        html.AppendLine("</ul></body></html>");
        File.WriteAllText(path, html.ToString(), new UTF8Encoding(false));
    }

    static void AppendSummaryTable(StringBuilder html, IReadOnlyList<TrialSummary> ranked, IReadOnlyList<string> metrics)
    {
        html.Append("<table><thead><tr><th>rank</th><th>trial</th><th>configuration</th>");
        foreach (var metric in metrics) html.Append(CultureInfo.InvariantCulture, $"<th>{Escape(metric)}</th>");
        html.AppendLine("<th>images</th><th>seconds</th><th>images/s</th><th>failure</th></tr></thead><tbody>");
        for (var rank = 0; rank < ranked.Count; rank++)
        {
            var summary = ranked[rank];
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{rank + 1}</td><td>{summary.Trial.Index}</td><td class=\"text\">{Escape(summary.Trial.Label)}</td>");
            foreach (var metric in metrics) html.Append(CultureInfo.InvariantCulture, $"<td>{Escape(Interval(summary.Metric(metric)))}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{summary.Images}</td><td>{Number(summary.Seconds, "F1")}</td><td>{Number(summary.ImagesPerSecond, "F2")}</td>");
            html.AppendLine(CultureInfo.InvariantCulture, $"<td class=\"failure\">{Escape(summary.Failure ?? "")}</td></tr>");
        }
        html.AppendLine("</tbody></table>");
    }

    static void AppendVerdict(StringBuilder html, IReadOnlyList<TrialSummary> ranked, SweepVerdict verdict)
    {
        html.AppendLine("<h2>Verdict</h2>");
        html.AppendLine($"<p>Tied means the Holm-corrected Wilcoxon signed-rank test of the paired per-image differences to " +
            $"the best does not reject equality at α = {MetricComparison.Alpha.ToString(CultureInfo.InvariantCulture)}. " +
            "Ranks count 1 as best under each metric. Cost is the method's seconds per image, without the metrics and checks run on its maps.</p>");
        var rankedBy = verdict.RankedBy;
        var checks = verdict.Checks;
        html.Append("<table><thead><tr><th>trial</th><th>configuration</th>");
        foreach (var check in checks) html.Append(CultureInfo.InvariantCulture, $"<th>{Escape(check)}</th>");
        foreach (var metric in rankedBy) html.Append(CultureInfo.InvariantCulture, $"<th>rank {Escape(metric)}</th>");
        html.AppendLine("<th>tied with best</th><th>s / image</th><th>Pareto</th><th>why</th></tr></thead><tbody>");
        foreach (var summary in ranked)
        {
            if (verdict.Of(summary.Trial.Index) is not { } trial) continue;
            html.Append(CultureInfo.InvariantCulture, $"<tr{(trial.Recommended ? " class=\"recommended\"" : "")}><td>{summary.Trial.Index}</td><td class=\"text\">{Escape(summary.Trial.Label)}</td>");
            foreach (var check in checks) html.Append(CultureInfo.InvariantCulture, $"<td>{(trial.Sanity?.TryGetValue(check, out var pass) == true ? pass ? "pass" : "fail" : "")}</td>");
            foreach (var metric in rankedBy)
                html.Append(CultureInfo.InvariantCulture, $"<td>{(trial.Ranks.TryGetValue(metric, out var rank) ? rank.ToString(CultureInfo.InvariantCulture) : "")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{(trial.Tied is { } tied ? (tied ? "yes" : "no") : "")}</td><td>{(trial.SecondsPerImage is { } cost ? Number(cost, "G3") : "")}</td>");
            html.AppendLine(CultureInfo.InvariantCulture, $"<td>{(trial.Pareto ? "yes" : "")}</td><td class=\"reason\">{Escape(trial.Reason)}</td></tr>");
        }
        html.AppendLine("</tbody></table>");
        if (verdict.Findings.Count > 0)
        {
            html.AppendLine("<h3>Does the verdict depend on the metric?</h3><ul>");
            foreach (var finding in verdict.Findings) html.AppendLine(CultureInfo.InvariantCulture, $"<li>{Escape(finding)}</li>");
            html.AppendLine("</ul>");
        }
        if (verdict.Agreements.Count > 0)
        {
            html.AppendLine("<table><thead><tr><th>metric</th><th>metric</th><th>trials</th><th>Kendall τ [95% bootstrap]</th></tr></thead><tbody>");
            foreach (var a in verdict.Agreements)
                html.AppendLine(CultureInfo.InvariantCulture, $"<tr><td class=\"text\">{Escape(a.First)}</td><td class=\"text\">{Escape(a.Second)}</td><td>{a.Trials}</td>" +
                    $"<td>{Number(a.Tau, "F2")}{(a.Low is { } low && a.High is { } high ? $" [{Number(low, "F2")}, {Number(high, "F2")}]" : "")}</td></tr>");
            html.AppendLine("</tbody></table>");
        }
    }

    static void AppendPaired(StringBuilder html, IReadOnlyList<TrialSummary> ranked, MetricComparison paired)
    {
        html.AppendLine(CultureInfo.InvariantCulture, $"<h2>Paired with the best on {Escape(paired.Metric)}</h2>");
        html.AppendLine("<table><thead><tr><th>trial</th><th>configuration</th><th>images</th><th>difference to best [95% t]</th><th>Wilcoxon p</th><th>Holm p</th><th>tied</th></tr></thead><tbody>");
        foreach (var summary in ranked)
        {
            if (paired.Of(summary.Trial.Index) is not { } d) continue;
            var interval = d.Low is { } low && d.High is { } high ? $" [{Number(low, "G3")}, {Number(high, "G3")}]" : "";
            html.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>{d.Trial}</td><td class=\"text\">{Escape(summary.Trial.Label)}</td><td>{d.Images}</td>" +
                $"<td>{(double.IsNaN(d.Mean) ? "" : Number(d.Mean, "G3"))}{interval}</td>" +
                $"<td>{P(d.PValue)}</td><td>{P(d.HolmP)}</td><td>{(d.Tied ? "yes" : "no")}</td></tr>");
        }
        html.AppendLine("</tbody></table>");
    }

    static string P(double p) => double.IsNaN(p) ? "" : p < 0.001 ? "&lt; 0.001" : Number(p, "F3");

    static string Interval(MetricStatistics? statistics) => statistics switch
    {
        null => "",
        { Low: { } low, High: { } high } => $"{Number(statistics.Mean, "G4")} [{Number(low, "G4")}, {Number(high, "G4")}]",
        _ => Number(statistics.Mean, "G4"),
    };

    static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    static string Escape(string text) => WebUtility.HtmlEncode(text);
}
