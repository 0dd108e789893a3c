using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;
using Saliency.Cli.ModelOptions;
using Saliency.Grains.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchClusterSettings : BenchSweepSettings
{
    [CommandOption("--shard <N>")]
    [DefaultValue(64)]
    public int Shard { get; init; } = 64;
}

/// <summary>
/// The cost of the machinery: the same sweep through the embedded silo (coordinator, worker grain,
/// compute thread, result log and results) and as a plain loop over the library, in one process.
/// </summary>
public sealed class BenchClusterCommand : AsyncCommand<BenchClusterSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, BenchClusterSettings settings, CancellationToken cancellation)
    {
        var threads = TorchThreads.Apply(settings.Threads);
        var root = Path.Combine(Path.GetTempPath(), "saliency-bench-cluster-" + Environment.ProcessId);
        string Spec(string name) => BenchSweep.IntegratedGradients(name, settings.Images, settings.Steps, settings.Shard);

        var spec = SweepSpec.Parse(Spec("bench-loop"), "bench.yaml");
        using var model = ModelLoader.Load("fashion-cnn");
        var images = ImageSelection.Parse(spec.Data).Load(model.Spec.Input, model.Spec.Preprocess);
        var runner = new TrialRunner(spec, model, () => ImageCatalog.Of(images));
        var noMaps = new HashSet<int>();
        // On a dedicated thread, as a worker silo computes: the comparison is then Orleans and bookkeeping alone.
        void Loop()
        {
            var thread = new Thread(() =>
            {
                for (var shard = 0; shard < spec.ShardCount(images.Count); shard++)
                    foreach (var trial in spec.Trials)
                        runner.Run(trial, shard, spec.ShardOf(images, shard), noMaps);
            });
            thread.Start();
            thread.Join();
        }

        var silo = await InProcessSilo.Start(options =>
        {
            options.ArtifactRoot = Path.Combine(root, "runs");
            options.TorchThreads = threads;
        }, cancellation: cancellation);
        var grains = silo.Grains;
        var run = 0;
        Task Sweep() => BenchSweep.RunToEnd(grains, Spec($"bench-{++run}"), cancellation);

        Loop();
        await Sweep();
        // Interleaved, so that a slow spell of the machine falls on both paths rather than on one.
        var loopTimes = new List<double>();
        var sweepTimes = new List<double>();
        for (var i = 0; i < settings.Repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            Loop();
            loopTimes.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            await Sweep();
            sweepTimes.Add(clock.Elapsed.TotalSeconds);
        }
        await silo.DisposeAsync();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }

        var loopSeconds = Measure.Median(loopTimes);
        var clusterSeconds = Measure.Median(sweepTimes);
        var table = new BenchmarkTable(
            $"IG {settings.Steps} steps + deletion/insertion on {settings.Images} images, shards of {settings.Shard}, {threads} threads",
            "path", "seconds", "images/s", "throughput ratio to the loop");
        table.Add("library loop over the shards", loopSeconds, settings.Images / loopSeconds, 1.0);
        table.Add("sweep through the embedded silo", clusterSeconds, settings.Images / clusterSeconds, loopSeconds / clusterSeconds);
        table.Print();
        table.Write(settings.Out, "cluster", Machine.Describe(threads));
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"written to [bold]{Path.Combine(settings.Out, "cluster.md")}[/]");
        return 0;
    }
}
