using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Saliency.Attribution.Results;
using Saliency.Attribution.Statistics;
using Saliency.Attribution.Sweeps;
using Saliency.Cli.ModelOptions;
using Saliency.Grains.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;
using YamlDotNet.RepresentationModel;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchHalvingSettings : BenchSettings
{
    [CommandArgument(0, "[SPEC]"), Description("A sweep spec with a halving schedule (default: the shipped fashion-halving.yaml).")]
    public string? Spec { get; init; }

    [CommandOption("--orders <N>"), Description("Image orders the halving schedule is replayed over, on the full grid's results.")]
    [DefaultValue(20)]
    public int Orders { get; init; } = 20;
}

/// <summary>
/// What the halving schedule saves, and what it costs in agreement: the same sweep as a full grid and with its halving
/// schedule, on one embedded silo, one after the other, each with its (trial, image) results, wall time, best trial and
/// the set tied with the best; then the schedule replayed over the grid's results in other image orders, for how often
/// it stops a trial that the grid finds tied with the best.
/// </summary>
public sealed class BenchHalvingCommand : AsyncCommand<BenchHalvingSettings>
{
    public static string DefaultSpec => Path.Combine(AppContext.BaseDirectory, "sweeps", "fashion-halving.yaml");

    sealed record Run(string Name, long Results, double Seconds, int Best, IReadOnlySet<int> Tied, IReadOnlySet<int> Stopped,
        IReadOnlyDictionary<(int Trial, int Key), ImageOutcome> Images, IReadOnlyList<int> Keys);

    public override async Task<int> ExecuteAsync(CommandContext context, BenchHalvingSettings settings, CancellationToken cancellation)
    {
        var threads = TorchThreads.Apply(settings.Threads);
        var specText = SweepSpec.ReadFile(settings.Spec ?? DefaultSpec);
        var spec = SweepSpec.Parse(specText, settings.Spec ?? DefaultSpec);
        if (!spec.Schedule.IsHalving) throw new ArgumentException($"{settings.Spec}: the bench compares a halving schedule with the grid; the spec has schedule '{spec.Schedule.Kind}'");
        var grid = WithSchedule(specText, spec.Name + "-grid", SweepSchedule.GridKind);
        var root = Path.Combine(Path.GetTempPath(), "saliency-bench-halving-" + Environment.ProcessId);

        var silo = await InProcessSilo.Start(options =>
        {
            options.ArtifactRoot = Path.Combine(root, "runs");
            options.TorchThreads = threads;
        }, cancellation: cancellation);
        var grains = silo.Grains;
        async Task<Run> Sweep(string name, string text)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"running [bold]{name}[/]");
            var clock = Stopwatch.StartNew();
            var progress = await BenchSweep.RunToEnd(grains, text, cancellation);
            var seconds = clock.Elapsed.TotalSeconds;
            var stopped = progress.Trials.Where(t => t.Stopped is not null).Select(t => t.Trial).ToHashSet();
            return Read(name, progress.RunDirectory, seconds, stopped, spec.Objective);
        }
        var full = await Sweep("full grid", grid);
        var halving = await Sweep("halving", WithSchedule(specText, spec.Name + "-halving", null));
        await silo.DisposeAsync();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }

        string Labels(IEnumerable<int> trials) => string.Join("; ", trials.Order().Select(t => spec.Trials[t].Label));
        var table = new BenchmarkTable(
            $"{spec.Name}: {spec.Trials.Count} trials × {full.Keys.Count} images, full grid against {spec.Schedule}, {threads} threads",
            "run", "(trial, image) results", "results ÷ grid's", "wall s", "best trial", "tied with the best", "same best", "same tied set");
        foreach (var run in new[] { full, halving })
            table.Add(run.Name, run.Results, (double)run.Results / full.Results, run.Seconds, spec.Trials[run.Best].Label,
                $"{run.Tied.Count}: {Labels(run.Tied)}", run.Best == full.Best ? "yes" : "no", run.Tied.SetEquals(full.Tied) ? "yes" : "no");
        table.Print();
        table.Write(settings.Out, "halving", Machine.Describe(threads));

        // Replayed in other image orders, on the grid's results: how often a trial tied with the best is stopped.
        var replays = Enumerable.Range(1, settings.Orders).Select(seed =>
            HalvingReplay.Run(spec, full.Images, Shuffled(full.Keys, seed))).ToList();
        var wrong = replays.Sum(r => r.Stopped.Count(full.Tied.Contains));
        var replayTable = new BenchmarkTable(
            $"{spec.Schedule} replayed over the grid's results in {settings.Orders} image orders (seeds 1-{settings.Orders})",
            "orders", "mean results ÷ grid's", "largest results ÷ grid's", "tied-set trials", "stops of a tied-set trial", "rate", "stated α");
        replayTable.Add(settings.Orders, replays.Average(r => (double)r.Results) / full.Results, replays.Max(r => r.Results) / (double)full.Results,
            full.Tied.Count, wrong, (double)wrong / (settings.Orders * full.Tied.Count), spec.Schedule.Alpha);
        replayTable.Print();
        replayTable.Write(settings.Out, "halving-replay", Machine.Describe(threads));
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"written to [bold]{Path.Combine(settings.Out, "halving.md")}[/] and [bold]{Path.Combine(settings.Out, "halving-replay.md")}[/]");
        return 0;
    }

    /// <summary>The spec with another name and, when <paramref name="schedule"/> is given, that schedule in place of its own.</summary>
    static string WithSchedule(string specText, string name, string? schedule)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(specText));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        root.Children[new YamlScalarNode("name")] = new YamlScalarNode(name);
        if (schedule is not null) root.Children[new YamlScalarNode("schedule")] = new YamlScalarNode(schedule);
        using var writer = new StringWriter();
        yaml.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>A finished run from its result log: what it computed, and its best and tied set among the trials that went the whole way.</summary>
    static Run Read(string name, string runDirectory, double seconds, IReadOnlySet<int> stopped, SweepObjective objective)
    {
        var images = new Dictionary<(int, int), ImageOutcome>();
        var keys = new List<int>();
        var values = new PerImageValues();
        foreach (var outcome in ResultLog.Read(ResultLog.PathIn(runDirectory)).Where(o => o.PartIndex == 0))
            foreach (var image in outcome.Images)
            {
                if (images.TryAdd((outcome.Trial, image.Key), image) && outcome.Trial == 0) keys.Add(image.Key);
                if (!stopped.Contains(outcome.Trial) && objective.Of(image) is { } value) values.Add(objective.Metric, outcome.Trial, image.Key, value);
            }
        var comparison = MetricComparison.Compare(objective.Metric, objective.HigherIsBetter, values.Of(objective.Metric))
            ?? throw new InvalidDataException($"{runDirectory}: no {objective.Metric} values");
        return new Run(name, images.Count, seconds, comparison.Best, comparison.Tied.ToHashSet(), stopped, images, keys.Order().ToArray());
    }

    static int[] Shuffled(IReadOnlyList<int> keys, int seed)
    {
        var shuffled = keys.ToArray();
        new Random(seed).Shuffle(shuffled);
        return shuffled;
    }
}
