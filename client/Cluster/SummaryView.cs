using System.Globalization;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Sweeps;
using Saliency.Grains.Contracts;
using Spectre.Console;

namespace Saliency.Cli.Cluster;

/// <summary>The table printed when a sweep ends: trials best first by the sweep's objective.</summary>
public static class SummaryView
{
    const int Rows = 25;

    public static void Print(SweepProgress progress, string objective) => Print(AnsiConsole.Console, progress, objective);

    /// <summary>
    /// The table on <paramref name="console"/>. Parameters every trial shares are said once, under the table, so a trial's
    /// own label fits its column: at 80 columns a trial takes at most two lines.
    /// </summary>
    public static void Print(IAnsiConsole console, SweepProgress progress, string objective)
    {
        var ranked = Rank(progress.Trials, objective);
        var (shared, labels) = TrialLabels.Shorten(ranked.Select(t => t.Label).ToArray());
        // A count every trial shares is said once too: its column would repeat it on every row.
        var sameImages = ranked.Select(t => t.Images).Distinct().Count() == 1;
        var columns = Columns(ranked, SweepObjective.Parse(objective));
        var table = new Table().Title($"{progress.Name}: trials by {objective}, best first").Border(TableBorder.Simple)
            .AddColumns(["#", "trial", .. columns.Select(c => c.Title), .. sameImages ? Array.Empty<string>() : ["images"], "img/s"]);
        foreach (var column in table.Columns) column.Padding(0, 0, 2, 0);
        foreach (var column in table.Columns.Skip(2)) column.RightAligned();
        foreach (var (t, rank) in ranked.Take(Rows).Select((t, i) => (t, i + 1)))
            table.AddRow([rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(labels[rank - 1]) + (t.Failure is null ? "" : " [red](failed)[/]"),
                .. columns.Select(c => ProgressView.F(MeanOf(t, c.Column))), .. sameImages ? Array.Empty<string>() : [t.Images.ToString(CultureInfo.InvariantCulture)],
                ProgressView.F(t.ImagesPerSecond, "F1")]);
        var caption = new List<string>();
        if (shared.Count > 0) caption.Add("every trial: " + string.Join(' ', shared));
        if (sameImages && ranked.Count > 0) caption.Add($"{ranked[0].Images} images each");
        if (ranked.Count > Rows) caption.Add($"best {Rows} of {ranked.Count}; all in summary.csv");
        if (caption.Count > 0) table.Caption(Markup.Escape(string.Join("; ", caption)));
        console.Write(table);
    }

    /// <summary>
    /// Prints the verdict the coordinator wrote beside the results (<c>verdict.txt</c>), where the run directory is on
    /// this machine: the embedded silo's, or a cluster's that shares the disk. Elsewhere <c>results --out</c> fetches it.
    /// </summary>
    public static void PrintVerdict(string runDirectory)
    {
        var path = Path.Combine(runDirectory, Saliency.Attribution.Results.SweepVerdict.FileName);
        if (!File.Exists(path)) return;
        foreach (var line in File.ReadLines(path))
            AnsiConsole.MarkupLine(line switch
            {
                ['+', ' ', ..] => $"[green]{Markup.Escape(line)}[/]",
                ['*', ' ', ..] => $"[yellow]{Markup.Escape(line)}[/]",
                _ => Markup.Escape(line),
            });
    }

    public static IReadOnlyList<TrialProgress> Rank(IReadOnlyList<TrialProgress> trials, string objective) =>
        SweepObjective.Parse(objective).Rank(trials, MeanOf);

    /// <summary>The columns the table shows: the objective's, then deletion, insertion, their difference and |Δ|, each where some trial has it.</summary>
    static IReadOnlyList<(string Column, string Title)> Columns(IReadOnlyList<TrialProgress> trials, SweepObjective objective)
    {
        (string, string)[] usual =
        [
            (DeletionMetric.AucColumn, "del ↓"), (InsertionMetric.AucColumn, "ins ↑"), (InsertionMetric.MinusDeletionColumn, "ins−del"),
            (CompletenessMetric.AbsDeltaColumn, "|Δ|"),
        ];
        var first = usual.Any(u => u.Item1 == objective.Metric) ? [] : new[] { (objective.Metric, $"{objective.Name} {(objective.HigherIsBetter ? "↑" : "↓")}") };
        return [.. first.Concat(usual).Where(c => trials.Any(t => MeanOf(t, c.Item1) is not null))];
    }

    static double? MeanOf(TrialProgress t, string column) => column switch
    {
        InsertionMetric.AucColumn => t.MeanInsertion,
        DeletionMetric.AucColumn => t.MeanDeletion,
        InsertionMetric.MinusDeletionColumn => t.MeanInsertion - t.MeanDeletion,
        CompletenessMetric.AbsDeltaColumn => t.MeanAbsDelta,
        _ => t.Mean(column),
    };
}
