using System.Globalization;
using Saliency.Grains.Contracts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Saliency.Cli.Cluster;

/// <summary>
/// The live view of a sweep: a header with overall progress and ETA, and a table of trials.
/// On a terminal it redraws in place; otherwise it prints one line every few seconds.
/// </summary>
public static class ProgressView
{
    const int TrialRows = 20;
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan PlainPeriod = TimeSpan.FromSeconds(5);

    /// <summary>Follows the sweep until it finishes or <paramref name="cancellation"/> fires; returns the last progress read.</summary>
    public static async Task<SweepProgress> Follow(ISweepCoordinatorGrain sweep, CancellationToken cancellation)
    {
        var progress = await sweep.GetProgress();
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            var lastLine = DateTime.MinValue;
            while (!progress.Finished && !cancellation.IsCancellationRequested)
            {
                if (DateTime.UtcNow - lastLine >= PlainPeriod)
                {
                    Console.WriteLine(Headline(progress));
                    lastLine = DateTime.UtcNow;
                }
                await Delay(cancellation);
                progress = await sweep.GetProgress();
            }
            Console.WriteLine(Headline(progress));
            return progress;
        }
        await AnsiConsole.Live(Render(progress)).AutoClear(false).StartAsync(async live =>
        {
            while (!progress.Finished && !cancellation.IsCancellationRequested)
            {
                await Delay(cancellation);
                progress = await sweep.GetProgress();
                live.UpdateTarget(Render(progress));
            }
        });
        return progress;
    }

    static async Task Delay(CancellationToken cancellation)
    {
        try { await Task.Delay(Poll, cancellation); }
        catch (OperationCanceledException) { }
    }

    public static string Headline(SweepProgress p)
    {
        var eta = p.EtaSeconds is { } seconds ? $" · ETA {Duration(seconds)}" : "";
        var failed = p.WorkItemsFailed > 0 ? $" · {p.WorkItemsFailed} failed" : "";
        var retried = p.Retries > 0 ? $" · {p.Retries} retried" : "";
        var stopped = p.WorkItemsStopped > 0 ? $" · {p.WorkItemsStopped} stopped by {p.Schedule}" : "";
        var images = p.ImagesTotal > 0 ? $" · {p.ImagesDone.ToString("F0", CultureInfo.InvariantCulture)}/{p.ImagesTotal} images" : "";
        return $"{p.Name} ({p.SweepId}) · {p.Status.ToString().ToLowerInvariant()} · {p.WorkItemsDone}/{p.WorkItemsTotal} work items{failed}{retried}{stopped}" +
               $"{images} · {p.WorkItemsInFlight} in flight · {Rate(p.ImagesPerSecond)} images/s · {Duration(p.ElapsedSeconds)}{eta}";
    }

    public static IRenderable Render(SweepProgress p)
    {
        var done = p.WorkItemsTotal == 0 ? 0 : (double)(p.WorkItemsDone + p.WorkItemsFailed + p.WorkItemsStopped) / p.WorkItemsTotal;
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("trial", "status", "shards", "deletion ↓", "insertion ↑", "|delta|", "images/s");
        foreach (var column in table.Columns.Skip(2)) column.RightAligned();
        var shown = p.Trials.OrderBy(t => t.Finished || t.ShardsDone == 0 ? 1 : 0).ThenBy(t => t.Trial).Take(TrialRows).OrderBy(t => t.Trial);
        foreach (var t in shown)
            table.AddRow(new Text(t.Label), new Markup(Status(t)), new Text($"{t.ShardsDone}/{t.ShardsTotal}"),
                new Text(F(t.MeanDeletion)), new Text(F(t.MeanInsertion)), new Text(F(t.MeanAbsDelta)), new Text(F(t.ImagesPerSecond, "F1")));
        if (p.Trials.Count > TrialRows) table.Caption($"{TrialRows} of {p.Trials.Count} trials shown; all are in summary.csv");
        var stops = p.Trials.Where(t => t.Stopped is not null).Select(t => (IRenderable)new Text($"{t.Label}: {t.Stopped}"));
        var bar = new BreakdownChart().Width(60).HideTags()
            .AddItem("done", Math.Max(done, 1e-9), Color.Green).AddItem("left", Math.Max(1 - done, 1e-9), Color.Grey);
        var rows = new List<IRenderable> { new Text(Headline(p)), bar, table };
        rows.AddRange(stops);
        if (p.Message is { } message) rows.Add(new Text(message));
        return new Rows(rows);
    }

    static string Status(TrialProgress t) => t.Failure is not null ? "[red]failed shards[/]"
        : t.Stopped is not null ? $"[grey]stopped at rung {t.Rung}[/]"
        : t.Finished ? "[green]done[/]" : t.ShardsDone > 0 ? "[yellow]running[/]" : "[grey]queued[/]";

    /// <summary>A rate to two significant figures below 10 (0.042, 3.1), so a ResNet's slow rate does not read as 0.0.</summary>
    public static string Rate(double value) => value.ToString(value is 0 or >= 10 ? "F1" : "G2", CultureInfo.InvariantCulture);

    public static string F(double? value, string format = "F4") => value?.ToString(format, CultureInfo.InvariantCulture) ?? "";

    public static string Duration(double seconds) => TimeSpan.FromSeconds(Math.Round(seconds)) is var t && t.TotalHours >= 1
        ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s" : $"{t.Seconds}s";
}
