using System.ComponentModel;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Saliency.Attribution.Results;
using Saliency.Cli.Cluster;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Workers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchScaleSettings : BenchSettings
{
    [CommandOption("--sizes <LIST>"), Description("Comma-separated (trial, image) result counts of the sweeps.")]
    [DefaultValue("1000,10000,100000,1000000")]
    public string Sizes { get; init; } = "1000,10000,100000,1000000";

    [CommandOption("--workers <LIST>"), Description("Comma-separated worker silo counts: 1 is the embedded silo alone, 2 adds a worker silo process.")]
    [DefaultValue("1,2")]
    public string Workers { get; init; } = "1,2";

    [CommandOption("--shard <N>")]
    [DefaultValue(64)]
    public int Shard { get; init; } = 64;

    [CommandOption("--slots <N>"), Description("Work items each worker silo computes at once.")]
    [DefaultValue(1)]
    public int Slots { get; init; } = 1;

    /// <summary>Set on the child process that runs one sweep; the parent starts one per row so each row's memory is its own.</summary>
    [CommandOption("--one <RESULTS>", IsHidden = true)]
    public long? One { get; init; }
}

/// <summary>
/// The machinery alone at growing sizes: sweeps of the cost-free <c>noop</c> method on the embedded silo,
/// with one worker silo or with a second one in another process. Each row runs in a fresh process, so
/// its peak memory and its grain-state bytes are its own.
/// </summary>
public sealed class BenchScaleCommand : AsyncCommand<BenchScaleSettings>
{
    const string ResultPrefix = "scale-result ";
    /// <summary>Fashion-MNIST's test split: sweeps beyond it grow in trials, not images.</summary>
    const int MaxImages = 10_000;

    public override async Task<int> ExecuteAsync(CommandContext context, BenchScaleSettings settings, CancellationToken cancellation)
    {
        if (settings.One is { } results)
        {
            FreshProcess.Report(ResultPrefix, await ScaleRun.Measure(results, int.Parse(settings.Workers, CultureInfo.InvariantCulture), settings.Shard, settings.Slots, cancellation));
            return 0;
        }

        var sizes = FreshProcess.PositiveNumbers(settings.Sizes, "--sizes").Select(s => (long)s).ToArray();
        var workerCounts = FreshProcess.PositiveNumbers(settings.Workers, "--workers");
        var rows = new List<ScaleRow>();
        foreach (var size in sizes)
            foreach (var workers in workerCounts)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{size:N0} results on {workers} worker silo(s)…[/]");
                rows.Add(await RunChild(size, workers, settings, cancellation));
            }

        var table = new BenchmarkTable(
            $"noop sweeps (no model work), shards of {settings.Shard}, {settings.Slots} slot(s) per worker silo, file grain storage",
            "results", "trials × images", "work items", "worker silos", "total s", "work items/s", "µs per result",
            "first result s", "results files s", "coordinator peak MiB", "grain state bytes per work item", "status median ms", "status p99 ms");
        foreach (var row in rows)
            table.Add(row.Results.ToString("N0", CultureInfo.InvariantCulture), $"{row.Trials} × {row.Images}", row.WorkItems, row.Workers,
                row.TotalSeconds, row.WorkItems / row.DispatchSeconds, row.TotalSeconds * 1e6 / row.Results, row.FirstResultSeconds,
                row.ResultsFilesSeconds, row.PeakResidentMiB, row.GrainStateBytes / (double)row.WorkItems, row.StatusMedianMs, row.StatusP99Ms);
        table.Print();
        table.Write(settings.Out, "scale", Machine.Describe(1));
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"written to [bold]{Path.Combine(settings.Out, "scale.md")}[/]");
        return 0;
    }

    static Task<ScaleRow> RunChild(long results, int workers, BenchScaleSettings settings, CancellationToken cancellation) =>
        FreshProcess.Measure<ScaleRow>(
            ["bench", "scale", "--one", results.ToString(CultureInfo.InvariantCulture), "--workers", workers.ToString(CultureInfo.InvariantCulture),
                "--shard", settings.Shard.ToString(CultureInfo.InvariantCulture), "--slots", settings.Slots.ToString(CultureInfo.InvariantCulture)],
            ResultPrefix, $"the scale run of {results} results on {workers} worker silo(s)", cancellation);

    /// <summary>The shape of a sweep with <paramref name="results"/> (trial, image) results: images first, then trials.</summary>
    public static (int Trials, int Images) Shape(long results)
    {
        var images = (int)Math.Min(results, MaxImages);
        if (results % images != 0) throw new ArgumentException($"--sizes: {results} is not a multiple of {images} images");
        return ((int)(results / images), images);
    }
}

public sealed record ScaleRow(
    long Results, int Trials, int Images, long WorkItems, int Workers, double TotalSeconds, double DispatchSeconds,
    double FirstResultSeconds, double ResultsFilesSeconds, double PeakResidentMiB, long GrainStateBytes, double StatusMedianMs, double StatusP99Ms);

/// <summary>One sweep of the scale benchmark, in this process: an embedded silo, optionally a worker silo process, a client.</summary>
static class ScaleRun
{
    public static async Task<ScaleRow> Measure(long results, int workers, int shard, int slots, CancellationToken cancellation)
    {
        var (trials, images) = BenchScaleCommand.Shape(results);
        var root = Path.Combine(Path.GetTempPath(), $"saliency-bench-scale-{Environment.ProcessId}");
        if (workers > 2) throw new ArgumentException("--workers: 1 or 2");
        var silo = await InProcessSilo.Start(options =>
        {
            options.ArtifactRoot = Path.Combine(root, "runs");
            options.TorchThreads = 1;
            options.WorkerSlots = slots;
        }, cancellation: cancellation);
        using var extraWorker = workers == 2 ? WorkerSiloProcess.Start(silo.Endpoints, Path.Combine(root, "worker-runs"), threads: 1, slots) : null;
        try
        {
            // Through a client, as saliency status asks, so the status times include the client's hop.
            await using var client = await ClusterConnection.Open(silo.Endpoints.GatewayPort.ToString(CultureInfo.InvariantCulture));
            var grains = client.Client;
            await WorkerRegistryWait.ForLiveWorkers(grains, workers, TimeSpan.FromSeconds(60), cancellation);

            // A small sweep first, so the measured one does not pay for JIT compilation and first loads.
            await RunSweep(grains, BenchSweep.Noop("warm-up", 1, Math.Min(images, 640), shard), cancellation);
            using var stateBytes = new GrainStateBytes();
            var row = await RunSweep(grains, BenchSweep.Noop("scale", trials, images, shard), cancellation);
            return new ScaleRow(results, trials, images, row.WorkItems, workers, row.Total, row.Dispatch, row.FirstResult, row.Total - row.Dispatch,
                Machine.PeakResidentMiB(), stateBytes.Total, row.StatusMedianMs, row.StatusP99Ms);
        }
        finally
        {
            await silo.DisposeAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    sealed record SweepTimes(long WorkItems, double Total, double Dispatch, double FirstResult, double StatusMedianMs, double StatusP99Ms);

    /// <summary>
    /// Submits and polls the sweep's status as <c>saliency status</c> does, timing each call. Dispatch ends
    /// when the last result is logged; the rest of the total is writing the result files.
    /// </summary>
    static async Task<SweepTimes> RunSweep(IGrainFactory grains, string spec, CancellationToken cancellation)
    {
        var submitted = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var ticket = await grains.GetGrain<ISweepDirectoryGrain>(0).Submit(new SweepSubmission(spec, "bench-scale.yaml"));
        var sweep = grains.GetGrain<ISweepCoordinatorGrain>(ticket.SweepId);
        var statusMs = new List<double>();
        SweepProgress progress;
        while (true)
        {
            var call = Stopwatch.StartNew();
            progress = await sweep.GetProgress();
            statusMs.Add(call.Elapsed.TotalMilliseconds);
            if (progress.Finished) break;
            await Task.Delay(100, cancellation);
        }
        var total = clock.Elapsed.TotalSeconds;
        if (progress.Status != SweepStatus.Completed)
            throw new InvalidOperationException($"sweep {ticket.SweepId} ended {progress.Status}: {progress.Message}");
        var (first, last) = LoggedRange(ResultLog.PathIn(ticket.RunDirectory));
        statusMs.Sort();
        return new SweepTimes(progress.WorkItemsTotal, total, (last - submitted).TotalSeconds, (first - submitted).TotalSeconds,
            statusMs[statusMs.Count / 2], statusMs[Math.Min(statusMs.Count - 1, (int)Math.Ceiling(statusMs.Count * 0.99) - 1)]);
    }

    static (DateTimeOffset First, DateTimeOffset Last) LoggedRange(string log)
    {
        DateTimeOffset? first = null, last = null;
        foreach (var entry in ResultLog.ReadEntries(log))
        {
            if (first is null || entry.LoggedAt < first) first = entry.LoggedAt;
            if (last is null || entry.LoggedAt > last) last = entry.LoggedAt;
        }
        return first is { } f && last is { } l ? (f, l) : throw new InvalidDataException($"{log} holds no results");
    }

    /// <summary>Bytes the file grain storage writes while it lives, read from the silo's own meter.</summary>
    sealed class GrainStateBytes : IDisposable
    {
        readonly MeterListener listener = new();
        long total;

        public GrainStateBytes()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TelemetryNames.Meter && instrument.Name == "saliency.grain_state.written") l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref total, value));
            listener.Start();
        }

        public long Total => Interlocked.Read(ref total);

        public void Dispose() => listener.Dispose();
    }
}
