using System.Globalization;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Cli.Cluster;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Web;
using Saliency.Web.Sources;
using Spectre.Console;

namespace Saliency.Cli.Embedded;

/// <summary>
/// The embedded default: one silo with every role inside this process, on free loopback ports,
/// grain state in files under the runs directory. Nothing to install, and the same grains as a cluster.
/// </summary>
public static class EmbeddedRun
{
    static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(60);

    public static async Task<int> Execute(string? specPath, string? resumeDirectory, string runsRoot, int? threads, int? slots = null, string? device = null,
        TelemetrySettings? telemetry = null, IReadOnlyList<string>? allowedRoots = null, WebViewOptions? web = null)
    {
        SweepSubmission? submission = null;
        string? resumeId = null;
        string objective;
        if (resumeDirectory is not null)
        {
            (resumeId, var specText) = ReadRunDirectory(resumeDirectory);
            objective = ParsedSpecs.Parse(specText, Path.Combine(resumeDirectory, RunDirectoryFile.SpecFileName)).Objective.Name;
            runsRoot = Path.GetDirectoryName(Path.GetFullPath(resumeDirectory.TrimEnd('/')))!;
        }
        else
        {
            submission = SpecFile.Read(specPath ?? throw new ArgumentException("name a SPEC file, or --resume RUN_DIR"));
            objective = ParsedSpecs.Parse(submission.SpecText, submission.SpecFile).Objective.Name;
        }

        await using var silo = await InProcessSilo.Start(options =>
        {
            options.Role = SiloRole.All;
            options.ArtifactRoot = runsRoot;
            options.TorchThreads = threads is > 0 ? threads : Environment.ProcessorCount;
            // Left out, the options' own defaults stand (one slot, the CPU).
            if (slots is { } given) options.WorkerSlots = given;
            if (device is not null) options.Device = device;
            if (allowedRoots is { Count: > 0 }) options.AllowedRoots = [.. allowedRoots];
        }, telemetry: telemetry);
        await using var view = web is null ? null : await SweepWebServer.Start(new ClusterSource(silo.Grains), web);
        using var span = ClientTelemetry.Source.StartActivity(resumeId is null ? "sweep run" : "sweep resume");
        var id = resumeId ?? (await silo.Directory.Submit(submission!)).SweepId;
        span?.SetTag("saliency.sweep", id);
        var sweep = silo.Sweep(id);
        if (resumeId is not null) await sweep.Resume();
        if (view is not null) StandardError.Console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"web view: [bold]{view.Url}sweeps/{id}[/]");
        var exit = await Follow(sweep, objective);
        if (view is not null)
        {
            StandardError.Console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"the web view stays at [bold]{view.Url}[/] until Ctrl-C");
            await Commands.DashboardCommand.WaitForCtrlC(CancellationToken.None);
        }
        return exit;
    }

    static async Task<int> Follow(ISweepCoordinatorGrain sweep, string objective)
    {
        using var stop = new CancellationTokenSource();
        var runDirectory = (await sweep.GetProgress()).RunDirectory;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            if (!stop.IsCancellationRequested)
            {
                stop.Cancel();
                return;
            }
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"leaving now: the work in flight is dropped; [bold]saliency run --resume {runDirectory}[/] computes it again");
            ImmediateExit.Now(130);
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var progress = await ProgressView.Follow(sweep, stop.Token);
            if (progress.Finished)
            {
                SummaryView.Print(progress, objective);
                SummaryView.PrintVerdict(progress.RunDirectory);
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                    $"{progress.Status.ToString().ToLowerInvariant()}: results in [bold]{progress.RunDirectory}[/] (summary.csv, verdict.txt, images.parquet, report.html)");
                if (progress.Message is { } message) AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]{message}[/]");
                return progress.Status == SweepStatus.Completed ? 0 : 1;
            }
            AnsiConsole.MarkupLine("stopping: no new work is sent; waiting for work in flight (Ctrl-C again to leave now)");
            progress = await sweep.Stop();
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (progress.WorkItemsInFlight > 0 && waited.Elapsed < DrainLimit)
            {
                await Task.Delay(500);
                progress = await sweep.GetProgress();
            }
            AnsiConsole.WriteLine(ProgressView.Headline(progress));
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"stopped; finish it with: [bold]saliency run --resume {progress.RunDirectory}[/]");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    static (string Id, string SpecText) ReadRunDirectory(string directory)
    {
        var (run, specText) = RunDirectoryFile.Read(directory);
        return (run.SweepId, specText);
    }
}
