using Saliency.Attribution.Sweeps;
using System.Globalization;
using System.Net;
using System.Text;

namespace Saliency.Attribution.Results;

/// <summary>
/// <c>report.html</c>: one self-contained page (inline style, no scripts, nothing fetched) with the
/// summary table best first, the charts and comparison sheet by relative path, and links to the tables.
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
        img { max-width: 100%; border: 1px solid #ddd; margin: 0.5em 0; }
        """;

    public static void Write(string path, string sweepName, SweepObjective objective, IReadOnlyList<TrialSummary> ranked,
        IReadOnlyList<string> metrics, IReadOnlyList<string> plots, string? comparison, IReadOnlyList<string> tables)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>{Escape(sweepName)}: sweep results</title>");
        html.AppendLine($"<style>{Style}</style></head><body>");
        html.AppendLine($"<h1>{Escape(sweepName)}</h1>");
        html.AppendLine($"<p>{ranked.Count} trials, ranked by {Escape(objective.Name)} (mean {Escape(objective.Metric)}, {(objective.HigherIsBetter ? "higher" : "lower")} is better). Intervals are 95% intervals of the mean.</p>");

        html.AppendLine("<h2>Trials</h2>");
        AppendSummaryTable(html, ranked, metrics);

        if (plots.Count > 0)
        {
            html.AppendLine("<h2>Charts</h2>");
            foreach (var plot in plots)
                html.AppendLine($"<p><img src=\"{Escape(plot)}\" alt=\"{Escape(Path.GetFileNameWithoutExtension(plot).Replace('_', ' '))}\"></p>");
        }
        if (comparison is not null)
        {
            html.AppendLine("<h2>Sampled maps</h2>");
            html.AppendLine($"<p><img src=\"{Escape(comparison)}\" alt=\"maps of sampled images under the best trials\"></p>");
        }

        html.AppendLine("<h2>Tables</h2><ul>");
        foreach (var table in tables)
            html.AppendLine($"<li><a href=\"{Escape(table)}\">{Escape(table)}</a></li>");
        html.AppendLine("</ul></body></html>");
        File.WriteAllText(path, html.ToString(), new UTF8Encoding(false));
    }

    static void AppendSummaryTable(StringBuilder html, IReadOnlyList<TrialSummary> ranked, IReadOnlyList<string> metrics)
    {
        html.Append("<table><thead><tr><th>rank</th><th>trial</th><th>configuration</th>");
        foreach (var metric in metrics) html.Append($"<th>{Escape(metric)}</th>");
        html.AppendLine("<th>images</th><th>seconds</th><th>images/s</th><th>failure</th></tr></thead><tbody>");
        for (var rank = 0; rank < ranked.Count; rank++)
        {
            var summary = ranked[rank];
            html.Append($"<tr><td>{rank + 1}</td><td>{summary.Trial.Index}</td><td class=\"text\">{Escape(summary.Trial.Label)}</td>");
            foreach (var metric in metrics) html.Append($"<td>{Escape(Interval(summary.Metric(metric)))}</td>");
            html.Append($"<td>{summary.Images}</td><td>{Number(summary.Seconds, "F1")}</td><td>{Number(summary.ImagesPerSecond, "F2")}</td>");
            html.AppendLine($"<td class=\"failure\">{Escape(summary.Failure ?? "")}</td></tr>");
        }
        html.AppendLine("</tbody></table>");
    }

    static string Interval(MetricStatistics? statistics) => statistics switch
    {
        null => "",
        { Low: { } low, High: { } high } => $"{Number(statistics.Mean, "G4")} [{Number(low, "G4")}, {Number(high, "G4")}]",
        _ => Number(statistics.Mean, "G4"),
    };

    static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    static string Escape(string text) => WebUtility.HtmlEncode(text);
}
