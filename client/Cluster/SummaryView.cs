using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;
using Saliency.Grains;
using Spectre.Console;
using System.Globalization;

namespace Saliency.Cli.Cluster;

/// <summary>The table printed when a sweep ends: trials best first by the sweep's objective.</summary>
public static class SummaryView
{
    const int Rows = 25;

    public static void Print(SweepProgress progress, string objective)
    {
        var ranked = Rank(progress.Trials, objective);
        var table = new Table().Title($"{progress.Name}: trials by {objective}, best first")
            .AddColumns("#", "trial", "deletion ↓", "insertion ↑", "ins − del", "|delta|", "images", "images/s");
        foreach (var column in table.Columns.Skip(2)) column.RightAligned();
        foreach (var (t, rank) in ranked.Take(Rows).Select((t, i) => (t, i + 1)))
            table.AddRow(rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(t.Label) + (t.Failure is null ? "" : " [red](failed shards)[/]"),
                ProgressView.F(t.MeanDeletion), ProgressView.F(t.MeanInsertion), ProgressView.F(t.MeanInsertion - t.MeanDeletion),
                ProgressView.F(t.MeanAbsDelta), t.Images.ToString(CultureInfo.InvariantCulture), ProgressView.F(t.ImagesPerSecond, "F1"));
        if (ranked.Count > Rows) table.Caption($"best {Rows} of {ranked.Count}; all in summary.csv");
        AnsiConsole.Write(table);
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
        SweepObjective.Parse(objective).Rank(trials, (t, metric) => metric switch
        {
            MetricNames.InsertionAuc => t.MeanInsertion,
            MetricNames.DeletionAuc => t.MeanDeletion,
            MetricNames.InsertionMinusDeletion => t.MeanInsertion - t.MeanDeletion,
            MetricNames.AbsDelta => t.MeanAbsDelta,
            _ => null,
        });
}
