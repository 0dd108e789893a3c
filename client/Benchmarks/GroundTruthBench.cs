using System.Globalization;
using Saliency.Attribution.Data.Planted;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Results;
using Saliency.Attribution.Statistics;
using Saliency.Attribution.Sweeps;

namespace Saliency.Cli.Benchmarks;

/// <summary>
/// What <c>bench ground-truth</c> runs and how it reads the result: a sweep of every method, IG from several baselines
/// and the two controls on the planted benchmark, then, for each proxy metric, Kendall's τ between the trial ranking it
/// gives and the ranking by a ground-truth metric, with a bootstrap interval over images (<see cref="RankAgreement.Against"/>).
/// </summary>
public static class GroundTruthBench
{
    /// <summary>IG's baselines in the sweep: the constants at both ends, the blur the trust sweep uses, and noise.</summary>
    public static IReadOnlyList<string> Baselines { get; } = ["black", "white", "blur:5", "uniform"];

    /// <summary>Methods run at their defaults beside IG; <c>noop</c>, whose map is empty, ranks nothing.</summary>
    public static IReadOnlyList<string> Methods { get; } = [.. MethodCatalog.Names.Where(m => m is not ("ig" or "noop"))];

    /// <summary>The planted benchmarks the bench runs on.</summary>
    public static IReadOnlyList<string> Benchmarks { get; } = [PlantedFashion.Name, PlantedPhotographs.Name];

    /// <summary>
    /// The methods and metrics run on photos-planted, where a map at 224 × 224 costs a hundred times one at 28 × 28: the
    /// methods that take at most tens of passes, and the proxies that take at most a hundred (max-sensitivity runs the method
    /// ten more times, infidelity a hundred perturbed passes of the method's own, and ROAD's imputation solves a linear
    /// system over the image's pixels for each of its fourteen points, so these are left to the 28 × 28 benchmark).
    /// </summary>
    public static IReadOnlyList<string> PhotoMethods { get; } = ["gradient", "smoothgrad", "gradcam", "blur-ig", "random", "edge"];

    public static IReadOnlyList<string> PhotoMetrics { get; } =
        [.. MetricCatalog.Names.Where(m => m is not (MaxSensitivityMetric.MetricName or InfidelityMetric.MetricName or RoadMetric.MetricName))];

    /// <summary>
    /// Settings lighter than the defaults for the methods that cost hundreds of passes per map: max-sensitivity runs each
    /// method ten more times per image, so at their defaults I-GOS, iGOS++ and RISE alone would take most of the bench's time.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["igos"] = "{ iterations: 5 }",
        ["igos-pp"] = "{ iterations: 5 }",
        ["rise"] = "{ masks: 500 }",
    };

    /// <summary>The sweep over the first <paramref name="images"/> of a planted benchmark's ground-truth set, no maps kept.</summary>
    /// <exception cref="ArgumentException"><paramref name="benchmark"/> is not one of <see cref="Benchmarks"/>.</exception>
    public static string Spec(string name, int images, int steps, int shard, long seed, string benchmark = PlantedFashion.Name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(images, 2);
        var photos = benchmark switch
        {
            PlantedFashion.Name => false,
            PlantedPhotographs.Name => true,
            _ => throw new ArgumentException($"--benchmark '{benchmark}' is not a planted benchmark (known: {string.Join(", ", Benchmarks)})"),
        };
        var methods = string.Concat((photos ? PhotoMethods : Methods).Select(m => $"\n  {m}: {Settings.GetValueOrDefault(m, "{}")}"));
        var baselines = photos ? ["black", "white", "blur:10", "uniform"] : Baselines;
        var metrics = photos ? PhotoMetrics : MetricCatalog.Names;
        var tolerance = photos ? "\nmetric_tolerance: 0.005" : "";
        // At 224 × 224 each deletion or insertion curve costs four times IG-32 even to a tolerance, so one substrate each.
        var substrates = photos ? "{ deletion: blur, insertion: blur }" : "{ deletion: [blur, black], insertion: [blur, black] }";
        return string.Create(CultureInfo.InvariantCulture, $$"""
            name: {{name}}
            model: {{benchmark}}
            data: {{benchmark}}:test:0-{{images - 1}}
            methods:
              ig: { baseline: [{{string.Join(", ", baselines)}}], steps: [{{steps}}] }{{methods}}
            metrics: [{{string.Join(", ", metrics)}}]
            substrate: {{substrates}}{{tolerance}}
            shard: {{shard}}
            seed: {{seed}}
            maps: 0
            """);
    }

    /// <summary>The ground-truth column <paramref name="name"/> names, by its metric's name or its column's.</summary>
    /// <exception cref="ArgumentException">It names no metric that scores against ground truth; the message lists those that do.</exception>
    public static string TruthColumn(string name)
    {
        var column = MetricCatalog.Find(name.Trim()) is { NeedsGroundTruth: true } metric ? metric.Columns(JudgingSettings.Default)[0].Name : name.Trim();
        return MetricNames.IsLocalisation(column) ? column
            : throw new ArgumentException($"--truth '{name}' is no ground-truth metric (known: {string.Join(", ", MetricCatalog.All.Where(m => m.NeedsGroundTruth).Select(m => m.Name))})");
    }

    /// <summary>The proxy metrics among a sweep's result columns: every ranked column that does not score against the masks.</summary>
    public static IReadOnlyList<string> Proxies(IEnumerable<string> columns) =>
        [.. columns.Distinct().Where(c => MetricNames.HigherIsBetter(c) is not null && !MetricNames.IsLocalisation(c))];

    /// <summary>Each trial's value of each of <paramref name="columns"/> on each image, an outcome seen twice counted once.</summary>
    public static PerImageValues Gather(IEnumerable<ShardOutcome> outcomes, IReadOnlyList<string> columns)
    {
        var values = new PerImageValues();
        var seen = new HashSet<(int Trial, int Shard, int Start)>();
        foreach (var outcome in outcomes)
        {
            if (outcome.PartIndex != 0 || !seen.Add((outcome.Trial, outcome.Shard, outcome.Start ?? -1))) continue;
            foreach (var image in outcome.Images)
                foreach (var column in columns)
                    if (MetricNames.ValueOf(column, image) is { } value && double.IsFinite(value)) values.Add(column, outcome.Trial, image.Key, value);
        }
        return values;
    }

    /// <summary>
    /// One row per proxy, in the order given: its τ with the truth and the interval, or no agreement where fewer than
    /// <see cref="RankAgreement.MinimumTrials"/> trials have both.
    /// </summary>
    public static IReadOnlyList<ProxyAgreement> Measure(PerImageValues values, string truth, IReadOnlyList<string> proxies, long seed,
        int resamples = RankAgreement.Resamples)
    {
        (string, bool, IReadOnlyDictionary<int, double[]>) Of(string column) => (column, MetricNames.HigherIsBetter(column)!.Value, values.Of(column));
        var agreements = RankAgreement.Against(Of(truth), [.. proxies.Select(Of)], values.Images, seed, resamples);
        return [.. proxies.Select(p => new ProxyAgreement(p, MetricNames.HigherIsBetter(p)!.Value, Best(values, p), agreements.FirstOrDefault(a => a.First == p)))];
    }

    /// <summary>The trial with the best mean of <paramref name="column"/> over every image it has; null when none has one.</summary>
    public static int? Best(PerImageValues values, string column)
    {
        var sign = MetricNames.HigherIsBetter(column) == false ? -1 : 1;
        return values.Of(column)
            .Select(p => (Trial: p.Key, Mean: PerImageValues.Mean(p.Value)))
            .Where(p => !double.IsNaN(p.Mean))
            .OrderByDescending(p => sign * p.Mean).ThenBy(p => p.Trial)
            .Select(p => (int?)p.Trial).FirstOrDefault();
    }
}

/// <summary>One row of the τ table: a proxy metric, the trial it ranks first, and how far it orders the trials as the truth does.</summary>
/// <param name="Agreement">Null where too few trials have both the proxy and the truth.</param>
public sealed record ProxyAgreement(string Proxy, bool HigherIsBetter, int? Best, RankAgreement? Agreement)
{
    /// <summary>The row in a word: agrees (the interval above 0), reversed (below 0), unrelated (it reaches 0), or too few trials.</summary>
    public string Reading => Agreement switch
    {
        null => "too few trials",
        { MayDisagree: false } => "agrees",
        { High: < 0 } => "reversed",
        _ => "unrelated",
    };
}
