using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Data.Planted;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using Saliency.Cli.ModelOptions;
using Spectre.Console;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchMetricsSettings : BenchSettings
{
    [CommandOption("--model <MODEL>"), Description("Any built-in model or a TorchScript / ONNX / weights file with its JSON beside it.")]
    [DefaultValue(PlantedPhotographs.Name)]
    public string Model { get; init; } = PlantedPhotographs.Name;

    [CommandOption("--data <SELECTION>"), Description("Images (default: Fashion-MNIST test images for a 28 × 28 model, photos-planted's ground-truth images otherwise).")]
    public string? Data { get; init; }

    [CommandOption("--images <N>"), Description("Images judged (default: 200 Fashion-MNIST images, or 16 photographs).")]
    public int? Images { get; init; }

    [CommandOption("--metric-tolerance <AUC>"), Description("The AUC tolerance of deletion and insertion.")]
    [DefaultValue(0.005)]
    public double Tolerance { get; init; } = 0.005;

    [CommandOption("--batch <N>"), Description("Images per pass, of IG and of the metrics alike (default: the default for the input's size, 32 at 224 × 224).")]
    public int? Batch { get; init; }

    [CommandOption("--repetitions <N>"), Description("Interleaved timings of IG-32 and of deletion + insertion; the medians are reported.")]
    [DefaultValue(3)]
    public int Repetitions { get; init; } = 3;

    [CommandOption("--road"), Description("Also time ROAD per image (once).")]
    public bool Road { get; init; }

    [CommandOption("--device <DEVICE>"), Description(DeviceOption.Description)]
    [DefaultValue("cpu")]
    public string Device { get; init; } = "cpu";

    [CommandOption("--json"), Description("Print {metric_seconds_per_image, ig32_seconds_per_image, ratio, max_auc_error} alone on standard output.")]
    public bool Json { get; init; }
}

/// <summary>
/// What judging a map costs against making it: deletion + insertion at a tolerance against IG at 32 steps on the same images,
/// timed in turn in the same process; the largest AUC error against the full row-step curves; and ROAD's cost per image.
/// </summary>
public sealed class BenchMetricsCommand : Command<BenchMetricsSettings>
{
    const int IgSteps = 32;

    public override int Execute(CommandContext context, BenchMetricsSettings settings, CancellationToken cancellation)
    {
        // The model, and so its device, before any other use of torch: a CUDA build then starts with its CUDA backend loaded.
        using var model = Load(settings.Model, settings.Device);
        var threads = TorchThreads.Apply(settings.Threads);
        var small = model.Spec.Input is { Height: <= 64 };
        var data = settings.Data ?? (small ? "fashion-mnist:test:0-199" : $"{PlantedPhotographs.Name}:{PlantedPhotographs.GroundTruthSplit}:0-15");
        var (loaded, _) = ModelSettings.LoadImages(data, model);
        var images = loaded.Slice(0, Math.Min(loaded.Count, settings.Images ?? loaded.Count));
        var step = MetricStep.ToTolerance(settings.Tolerance);
        var batch = settings.Batch ?? PassBatch.DefaultFor(images.Shape);
        var adaptive = new[] { CausalMetric.Deletion(step: step, batchSize: batch), CausalMetric.Insertion(step: step, batchSize: batch) };
        var full = new[] { CausalMetric.Deletion(batchSize: batch), CausalMetric.Insertion(batchSize: batch) };
        var ig = new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("black"), Steps = IgSteps, InternalBatchSize = batch });

        // The proxy as a sweep chooses it (ProxyPrecision), and its measured speed-up whether chosen or not.
        var (proxy, speedup) = adaptive[0].TakesProxy(images.Shape)
            ? ProxyPrecision.Measure(model, images.Shape, batch, () => Load(settings.Model, settings.Device))
            : (null, double.NaN);
        using var proxyModel = proxy;

        // The maps judged are IG-32's own; a first run also pays for the process's first passes, so none of it is timed.
        var maps = ig.Attribute(model, images, Target.Predicted);
        Judge(model, images, maps, adaptive, proxy);
        Judge(model, images, maps, adaptive);
        var rounds = Enumerable.Range(0, settings.Repetitions).Select(_ =>
        {
            var igSeconds = Measure.Seconds(() => ig.Attribute(model, images, Target.Predicted)) / images.Count;
            var metricSeconds = Measure.Seconds(() => Judge(model, images, maps, adaptive, proxy)) / images.Count;
            var aloneSeconds = proxy is null ? metricSeconds : Measure.Seconds(() => Judge(model, images, maps, adaptive)) / images.Count;
            return (Ig: igSeconds, Metrics: metricSeconds, Alone: aloneSeconds);
        }).ToArray();
        var estimated = Judge(model, images, maps, adaptive, proxy);
        var alone = proxy is null ? estimated : Judge(model, images, maps, adaptive);
        IReadOnlyList<CurveScore>[] reference = [];
        var fullSeconds = Measure.Seconds(() => reference = Judge(model, images, maps, full)) / images.Count;
        var (maxError, beyondEstimate) = Errors(estimated, reference);
        var (aloneError, aloneBeyond) = Errors(alone, reference);
        var passes = estimated.Select(curves => curves.Average(c => c.Passes)).ToArray();
        var proxyPasses = estimated.Select(curves => curves.Average(c => c.ProxyPasses)).ToArray();
        var proxied = proxy is not null;
        var alonePasses = alone.Select(curves => curves.Average(c => c.Passes)).ToArray();

        var (metricSeconds, igSeconds) = (Measure.Median(rounds.Select(r => r.Metrics)), Measure.Median(rounds.Select(r => r.Ig)));
        var ratio = Measure.Median(rounds.Select(r => r.Metrics / r.Ig));
        var aloneSeconds = Measure.Median(rounds.Select(r => r.Alone));
        var table = new BenchmarkTable(
            $"Deletion + insertion to {settings.Tolerance.ToString(CultureInfo.InvariantCulture)} AUC against IG-32 on " +
                $"{model.Spec.Name} ({images.Shape}), {images.Count} images, batch {batch}, {threads} threads",
            "measurement", "seconds per image", "ratio to IG-32", "forward passes per image", "largest AUC error");
        table.Add($"integrated gradients, {IgSteps} steps, black", igSeconds, 1.0, $"{IgSteps} (+ backward)", "-");
        var tolerance = settings.Tolerance.ToString(CultureInfo.InvariantCulture);
        table.Add($"deletion + insertion, tolerance {tolerance}{(proxied ? ", bfloat16 proxy" : "")}", metricSeconds, ratio,
            proxied ? $"{passes[0]:F1} + {passes[1]:F1} + 2 shared ends, and the proxy's {proxyPasses[0]:F1} + {proxyPasses[1]:F1}"
                : $"{passes[0]:F1} + {passes[1]:F1} + 2 shared ends", maxError);
        if (proxied)
            table.Add($"deletion + insertion, tolerance {tolerance}, the model alone", aloneSeconds, Measure.Median(rounds.Select(r => r.Alone / r.Ig)),
                $"{alonePasses[0]:F1} + {alonePasses[1]:F1} + 2 shared ends", aloneError);
        table.Add($"bfloat16 copy's forward passes, times as fast (used from {ProxyPrecision.MinimumSpeedup.ToString(CultureInfo.InvariantCulture)})",
            "-", "-", !adaptive[0].TakesProxy(images.Shape) ? "not measured: these curves are scored whole"
                : double.IsNaN(speedup) ? "no bfloat16 kernels" : speedup.ToString("F2", CultureInfo.InvariantCulture), "-");
        table.Add("deletion + insertion, every one-row step", fullSeconds, fullSeconds / igSeconds,
            $"{reference[0][0].Passes} + {reference[1][0].Passes} + 2 shared ends", 0.0);
        table.Add("images whose AUC error exceeds its own estimate", "-", "-", "-", proxied ? $"{beyondEstimate} (model alone: {aloneBeyond})" : $"{beyondEstimate}");
        table.Add("largest error estimate reported", "-", "-", "-", estimated.SelectMany(c => c).Max(c => c.ErrorEstimate));
        foreach (var (size, layout, rate) in ForwardRates(model, images, batch))
            table.Add($"forward only, inference mode, batch {size}, {layout} input", (1 / rate).ToString("G4", CultureInfo.InvariantCulture), "-", "1", "-");
        if (settings.Road)
        {
            var road = new Road(batchSize: batch);
            var roadSeconds = Measure.Seconds(() => road.Score(model, images, maps)) / images.Count;
            table.Add($"ROAD ({road.Fractions.Count} fractions, MoRF and LeRF)", roadSeconds, roadSeconds / igSeconds, 2 * road.Fractions.Count, "-");
        }

        table.Write(settings.Out, "metrics", Machine.Describe(threads));
        WriteCurves(Path.Combine(settings.Out, "metrics-curves.json"), images, reference);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new MetricsBenchResult(metricSeconds, igSeconds, ratio, maxError)));
            return 0;
        }
        table.Print();
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"written to [bold]{Path.Combine(settings.Out, "metrics.md")}[/] and metrics.csv");
        return 0;
    }

    /// <summary>The full row-step curves the estimates were checked against, image by image, for studying the estimator.</summary>
    static void WriteCurves(string path, ImageSet images, IReadOnlyList<CurveScore>[] reference) =>
        File.WriteAllText(path, JsonSerializer.Serialize(images.Keys.Select((key, i) =>
            new MeasuredCurves(key, reference[0][i].Curve, reference[1][i].Curve)).ToArray()));

    static ImageClassifier Load(string model, string device) => new ModelSettings { Model = model, Device = device }.LoadModel();

    /// <summary>Each metric's curves, their shared ends scored once for all, as a sweep scores them.</summary>
    static IReadOnlyList<CurveScore>[] Judge(ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> maps, CausalMetric[] metrics,
        ImageClassifier? proxy = null)
    {
        var ends = CausalMetric.Ends(model, images, maps, metrics[0].Substrate, metrics[0].BatchSize);
        return metrics.Select(m => m.Score(model, images, maps, ends: ends, proxy: proxy)).ToArray();
    }

    /// <summary>The largest AUC error against the full curves, and how many curves erred beyond their own estimate.</summary>
    static (double Largest, int Beyond) Errors(IReadOnlyList<CurveScore>[] estimated, IReadOnlyList<CurveScore>[] reference)
    {
        var errors = estimated.Zip(reference, (e, r) => e.Zip(r, (a, b) => (Error: Math.Abs(a.Auc - b.Auc), a.ErrorEstimate))).SelectMany(e => e).ToArray();
        return (errors.Max(e => e.Error), errors.Count(e => e.Error > e.ErrorEstimate + 1e-12));
    }

    /// <summary>
    /// Images per second of forward-only passes under inference mode: at the batch used, with the input in the default layout
    /// and channels-last, and channels-last at half and twice that batch.
    /// </summary>
    static IEnumerable<(int Batch, string Layout, double Rate)> ForwardRates(ImageClassifier model, ImageSet images, int batch)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        Tensor Pixels(int size) => model.Input(images.Select(Enumerable.Range(0, size).Select(i => i % images.Count).ToArray()).ToTensor());
        Tensor ChannelsLast(Tensor pixels) => pixels.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        var (half, used, twice) = (Pixels(Math.Max(1, batch / 2)), Pixels(batch), Pixels(2 * batch));
        var passes = new (int Batch, string Layout, Func<Tensor> Input)[]
        {
            (batch, "NCHW", () => used.contiguous()),
            (batch, "channels-last", () => ChannelsLast(used)),
            ((int)half.shape[0], "channels-last", () => ChannelsLast(half)),
            (2 * batch, "channels-last", () => ChannelsLast(twice)),
        };
        double Rate(Func<Tensor> input)
        {
            using var inner = NewDisposeScope();
            var pixels = input();
            var targets = zeros(pixels.shape[0], ScalarType.Int64, model.Device);
            return pixels.shape[0] / Measure.Seconds(() => ClassScore.Of(model, pixels, targets, ScoreKind.Probability).cpu());
        }
        foreach (var pass in passes) Rate(pass.Input); // warm-up
        var rates = passes.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < 3; r++)
            for (var p = 0; p < passes.Length; p++) rates[p].Add(Rate(passes[p].Input));
        return passes.Select((p, i) => (p.Batch, p.Layout, Measure.Median(rates[i]))).ToArray();
    }
}

/// <summary>One image's full deletion and insertion curves, as <c>bench metrics</c> writes them to metrics-curves.json.</summary>
public sealed record MeasuredCurves(
    [property: JsonPropertyName("image")] int Image,
    [property: JsonPropertyName("deletion")] double[] Deletion,
    [property: JsonPropertyName("insertion")] double[] Insertion);

/// <summary>What <c>bench metrics --json</c> prints.</summary>
public sealed record MetricsBenchResult(
    [property: JsonPropertyName("metric_seconds_per_image")] double MetricSecondsPerImage,
    [property: JsonPropertyName("ig32_seconds_per_image")] double Ig32SecondsPerImage,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("max_auc_error")] double MaxAucError);
