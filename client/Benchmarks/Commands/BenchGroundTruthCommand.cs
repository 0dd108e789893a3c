using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;
using Saliency.Cli.Cluster;
using Saliency.Cli.ModelOptions;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchGroundTruthSettings : BenchSettings
{
    [CommandOption("--benchmark <NAME>"), Description("fashion-planted (28 × 28, every method and metric) or photos-planted (224 × 224, the methods and metrics of at most a hundred passes).")]
    [DefaultValue("fashion-planted")]
    public string Benchmark { get; init; } = "fashion-planted";

    [CommandOption("--images <N>"), Description("Images of the planted ground-truth set, from its first (default: 24 on fashion-planted, 12 on photos-planted).")]
    public int? Images { get; init; }

    [CommandOption("--steps <N>"), Description("IG's steps for every baseline (default: 32 on fashion-planted, 16 on photos-planted).")]
    public int? Steps { get; init; }

    bool Photos => Benchmark == "photos-planted";

    public int ImageCount => Images ?? (Photos ? 12 : 24);

    public int StepCount => Steps ?? (Photos ? 16 : 32);

    [CommandOption("--shard <N>"), Description("Images per work item.")]
    [DefaultValue(16)]
    public int Shard { get; init; } = 16;

    [CommandOption("--truth <METRIC>"), Description("The ground-truth metric the proxies are judged by (relevance-mass, pointing-game, …).")]
    [DefaultValue("relevance-mass")]
    public string Truth { get; init; } = "relevance-mass";

    [CommandOption("--resamples <N>"), Description("Bootstrap resamples of the images for each interval.")]
    [DefaultValue(1000)]
    public int Resamples { get; init; } = 1000;

    [CommandOption("--seed <N>")]
    [DefaultValue(7L)]
    public long Seed { get; init; } = 7;

    [CommandOption("--runs <DIR>"), Description("Where the sweep's run directory goes (its verdict, report and results stay there).")]
    [DefaultValue("runs")]
    public string Runs { get; init; } = "runs";

    [CommandOption("--from <RUN_DIR>"), Description("Read the table from a finished run of this bench (or any sweep with ground truth) instead of running the sweep.")]
    public string? From { get; init; }

    [CommandOption("--json"), Description("Print the table as JSON on standard output instead of a table.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        Images < 2 ? ValidationResult.Error("--images must be at least 2")
        : Benchmark is not ("fashion-planted" or "photos-planted") ? ValidationResult.Error($"--benchmark '{Benchmark}' is not fashion-planted or photos-planted")
        : Steps < 1 ? ValidationResult.Error("--steps must be at least 1")
        : Shard < 1 ? ValidationResult.Error("--shard must be at least 1")
        : Resamples < 1 ? ValidationResult.Error("--resamples must be at least 1")
        : ValidationResult.Success();
}

/// <summary>
/// Which proxy metric to trust, measured against ground truth: a sweep on the planted benchmark (or a finished run given
/// with <c>--from</c>), then each proxy's Kendall τ with the ground-truth ranking of the trials and its bootstrap interval.
/// </summary>
public sealed class BenchGroundTruthCommand : AsyncCommand<BenchGroundTruthSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, BenchGroundTruthSettings settings, CancellationToken cancellation)
    {
        var truth = GroundTruthBench.TruthColumn(settings.Truth);
        var threads = TorchThreads.Apply(settings.Threads);
        var (runDirectory, seconds) = settings.From is { } from
            ? (from, (double?)null)
            : await RunSweep(GroundTruthBench.Spec($"ground-truth-{settings.Benchmark}", settings.ImageCount, settings.StepCount, settings.Shard,
                settings.Seed, settings.Benchmark), settings, threads, cancellation);
        var (_, specText) = RunDirectoryFile.Read(runDirectory);
        var spec = SweepSpec.Parse(specText, Path.Combine(runDirectory, RunDirectoryFile.SpecFileName));
        var columns = MetricNames.ColumnsFor(spec);
        if (!columns.Contains(truth))
            throw new ArgumentException($"{runDirectory}: the sweep did not measure {truth}; it needs ground truth and the metric in its spec");

        var proxies = GroundTruthBench.Proxies(columns);
        var values = GroundTruthBench.Gather(ResultLog.Read(ResultLog.PathIn(runDirectory)), [truth, .. proxies]);
        var rows = GroundTruthBench.Measure(values, truth, proxies, settings.Seed, settings.Resamples);
        var labels = spec.Trials.ToDictionary(t => t.Index, t => t.Label);
        string Label(int? trial) => trial is { } t ? labels.GetValueOrDefault(t, $"trial {t}") : "";
        var truthBest = GroundTruthBench.Best(values, truth);

        var title = $"Proxy metrics against {truth} on {spec.Name}: {spec.Trials.Count} trials, {values.Images} images, Kendall τ [95% bootstrap over images, {settings.Resamples} resamples]";
        var table = new BenchmarkTable(title, "proxy metric", "better", "trials", "Kendall τ", "95% interval", "reading", "its best trial");
        table.Add(truth + " (the truth)", "higher", "", "", "", "", Label(truthBest));
        foreach (var row in rows)
            table.Add(row.Proxy, row.HigherIsBetter ? "higher" : "lower", row.Agreement?.Trials.ToString(CultureInfo.InvariantCulture) ?? "",
                row.Agreement is { } a ? Tau(a.Tau) : "", row.Agreement is { Low: { } low, High: { } high } ? $"[{Tau(low)}, {Tau(high)}]" : "",
                row.Reading, Label(row.Best));
        var machine = Machine.Describe(threads);
        table.Write(settings.Out, $"ground-truth-{spec.Model.Reference}", machine + (seconds is { } s ? $"; sweep {Minutes(s)}" : ""));
        var json = Json(spec, runDirectory, truth, values.Images, settings.Resamples, seconds, machine, Label(truthBest), rows, Label);
        File.WriteAllText(Path.Combine(settings.Out, $"ground-truth-{spec.Model.Reference}.json"), json);
        if (settings.Json)
        {
            Console.Out.WriteLine(json);
            return 0;
        }
        table.Print();
        if (seconds is { } elapsed) AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"sweep: {Minutes(elapsed)}; its verdict and report in [bold]{runDirectory}[/]");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"written to [bold]{Path.Combine(settings.Out, $"ground-truth-{spec.Model.Reference}.md")}[/], .csv and .json");
        return 0;
    }

    /// <summary>The sweep on an embedded silo, progress on standard error so that standard output carries the table alone.</summary>
    static async Task<(string RunDirectory, double? Seconds)> RunSweep(string specText, BenchGroundTruthSettings settings, int threads, CancellationToken cancellation)
    {
        await using var silo = await InProcessSilo.Start(options =>
        {
            options.Role = SiloRole.All;
            options.ArtifactRoot = settings.Runs;
            options.TorchThreads = threads;
        }, cancellation: cancellation);
        var clock = Stopwatch.StartNew();
        var sweep = silo.Sweep((await silo.Directory.Submit(new SweepSubmission(specText, "ground-truth.yaml"))).SweepId);
        var progress = await sweep.GetProgress();
        var reported = TimeSpan.Zero;
        while (!progress.Finished)
        {
            if (clock.Elapsed - reported >= TimeSpan.FromSeconds(10))
            {
                Console.Error.WriteLine(ProgressView.Headline(progress));
                reported = clock.Elapsed;
            }
            await Task.Delay(500, cancellation);
            progress = await sweep.GetProgress();
        }
        // The run directory's results are written before the sweep reports itself finished.
        var seconds = clock.Elapsed.TotalSeconds;
        Console.Error.WriteLine(ProgressView.Headline(progress));
        return progress.Status == SweepStatus.Completed ? (progress.RunDirectory, seconds)
            : throw new InvalidOperationException($"the sweep ended {progress.Status}: {progress.Message}");
    }

    static string Json(SweepSpec spec, string runDirectory, string truth, int images, int resamples, double? seconds, string machine, string truthBest,
        IReadOnlyList<ProxyAgreement> rows, Func<int?, string> label) =>
        new JsonObject
        {
            ["sweep"] = spec.Name,
            ["run_directory"] = runDirectory,
            ["truth"] = truth,
            ["truth_best_trial"] = truthBest,
            ["trials"] = spec.Trials.Count,
            ["images"] = images,
            ["resamples"] = resamples,
            ["sweep_seconds"] = seconds,
            ["machine"] = machine,
            ["proxies"] = new JsonArray([.. rows.Select(row => (JsonNode)new JsonObject
            {
                ["metric"] = row.Proxy,
                ["higher_is_better"] = row.HigherIsBetter,
                ["trials"] = row.Agreement?.Trials,
                ["kendall_tau"] = row.Agreement is { Tau: var tau } && double.IsFinite(tau) ? tau : null,
                ["ci_low"] = row.Agreement?.Low,
                ["ci_high"] = row.Agreement?.High,
                ["reading"] = row.Reading,
                ["best_trial"] = label(row.Best),
            })]),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    static string Tau(double value) => double.IsNaN(value) ? "n/a" : value.ToString("F2", CultureInfo.InvariantCulture);

    static string Minutes(double seconds) => $"{(int)(seconds / 60)} min {seconds % 60:F0} s";
}
