using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Saliency.Grains.Hosting;
using Saliency.Grains.Workers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchScalingSettings : BenchSweepSettings
{
    /// <summary>Smaller than the cluster benchmark's, so two workers share the work evenly.</summary>
    [CommandOption("--shard <N>")]
    [DefaultValue(16)]
    public int Shard { get; init; } = 16;
}

/// <summary>
/// The same sweep on one worker silo process and then on two, each with one torch thread and one slot,
/// behind a coordinator silo in this process: how close adding a worker comes to doubling throughput.
/// </summary>
public sealed class BenchScalingCommand : AsyncCommand<BenchScalingSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, BenchScalingSettings settings, CancellationToken cancellation)
    {
        var root = Path.Combine(Path.GetTempPath(), "saliency-bench-scaling-" + Environment.ProcessId);
        var coordinator = await InProcessSilo.Start(options =>
        {
            options.Role = SiloRole.Coordinator;
            options.ArtifactRoot = Path.Combine(root, "runs");
        }, cancellation: cancellation);
        var grains = coordinator.Grains;
        var run = 0;
        async Task<double> Sweep(int images)
        {
            var clock = Stopwatch.StartNew();
            await BenchSweep.RunToEnd(grains, BenchSweep.IntegratedGradients($"scaling-{++run}", images, settings.Steps, settings.Shard), cancellation);
            return clock.Elapsed.TotalSeconds;
        }

        var workerRuns = Path.Combine(root, "worker-runs");
        var seconds = new List<double>();
        var workers = new List<WorkerSiloProcess>();
        try
        {
            foreach (var count in new[] { 1, 2 })
            {
                workers.Add(WorkerSiloProcess.Start(coordinator.Endpoints, workerRuns, threads: 1, slots: 1));
                await WorkerRegistryWait.ForLiveWorkers(grains, count, TimeSpan.FromSeconds(60), cancellation);
                // Every worker loads the model and images and compiles its code before the measured sweep.
                await Sweep(settings.Shard * 2 * count);
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{count} worker silo process(es)…[/]");
                var times = new List<double>();
                for (var i = 0; i < settings.Repetitions; i++) times.Add(await Sweep(settings.Images));
                seconds.Add(Measure.Median(times));
            }
        }
        finally
        {
            foreach (var worker in workers) worker.Dispose();
            await coordinator.DisposeAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }

        var table = new BenchmarkTable(
            $"IG {settings.Steps} steps + deletion/insertion on {settings.Images} images, shards of {settings.Shard}; " +
                $"worker silo processes of 1 torch thread and 1 slot each; median of {settings.Repetitions} sweeps",
            "worker silo processes", "seconds", "images/s", "speed-up over one");
        table.Add(1, seconds[0], settings.Images / seconds[0], 1.0);
        table.Add(2, seconds[1], settings.Images / seconds[1], seconds[0] / seconds[1]);
        table.Print();
        table.Write(settings.Out, "scaling", Machine.Describe(1));
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"written to [bold]{Path.Combine(settings.Out, "scaling.md")}[/] and scaling.csv");
        return 0;
    }
}
