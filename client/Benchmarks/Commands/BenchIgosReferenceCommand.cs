using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Results;
using Saliency.Cli.ModelOptions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchIgosReferenceSettings : BenchSettings
{
    [CommandOption("--reference <FILE>"), Description("The authors' figures, as scripts/igos_reference.py writes them.")]
    [DefaultValue(IgosReference.DefaultPath)]
    public string Reference { get; init; } = IgosReference.DefaultPath;

    [CommandOption("--images <N>"), Description("Compare on the reference's first N images only (default: all of them).")]
    public int? Images { get; init; }

    [CommandOption("--variants"), Description("Also run Saliency with each of its differences from the reference, one at a time.")]
    public bool Variants { get; init; }
}

/// <summary>
/// Saliency's I-GOS against the authors' code (zhongangqi/IGOS, driven by scripts/igos_reference.py) on the same
/// model, images, settings and scoring: deletion and insertion AUC with 95% t intervals, whether Saliency's mean
/// lies within the authors' interval, and seconds per image.
/// </summary>
public sealed class BenchIgosReferenceCommand : Command<BenchIgosReferenceSettings>
{
    public override int Execute(CommandContext context, BenchIgosReferenceSettings settings, CancellationToken cancellation)
    {
        var reference = IgosReference.Load(settings.Reference);
        var rows = reference.PerImage.Take(settings.Images ?? reference.PerImage.Count).ToArray();
        if (rows.Length < 2) throw new ArgumentException($"--images must leave at least 2 of the reference's {reference.PerImage.Count} images");
        var threads = TorchThreads.Apply(settings.Threads);
        using var model = new ModelSettings().LoadModel();
        var (all, _) = ModelSettings.LoadImages(reference.Images, model);
        var images = all.Slice(0, rows.Length);
        var step = MetricStep.OfPixels(reference.Settings.MetricStep);
        var substrate = Substrate.Parse(reference.Settings.Substrate);
        var (deletion, insertion) = (CausalMetric.Deletion(substrate, step), CausalMetric.Insertion(substrate, step));

        var authorsDeletion = MeanInterval.Of(rows.Select(r => r.Deletion).ToArray());
        var authorsInsertion = MeanInterval.Of(rows.Select(r => r.Insertion).ToArray());
        var authorsSeconds = rows.Average(r => r.Seconds);
        var table = new BenchmarkTable(
            $"I-GOS against the authors' code on fashion-cnn, {images.Source} ({images.Count} images), deletion and insertion to {substrate.Name}, {step.Pixels} pixels a step",
            "configuration", "deletion AUC [95% CI]", "insertion AUC [95% CI]", "within the authors' intervals (deletion, insertion)",
            "seconds/image", "ratio to the authors' seconds");
        table.Add("authors' code (zhongangqi/IGOS)", authorsDeletion.ToString(), authorsInsertion.ToString(), "", authorsSeconds, 1.0);

        var options = reference.Options();
        var configurations = new List<(string Label, IgosOptions Options)> { ("Saliency, the reference's settings", options) };
        if (settings.Variants)
        {
            var eighth = LowResolutionMask.Eighth(images.Shape.Height, images.Shape.Width);
            configurations.Add(($"  mask side / 8 ({eighth} cells)", options with { MaskSize = eighth }));
            configurations.Add(("  noise σ 0.2, the paper's", options with { Noise = 0.2 }));
            configurations.Add(("  failed smallest steps not taken", options with { TakeFailedSteps = false }));
            configurations.Add(("  baseline blur (full Gaussian, same σ)", options with { Baseline = Substrate.Blur }));
            configurations.Add(("Saliency's defaults (noise 0.2, baseline blur)", new IgosOptions { Seed = options.Seed }));
        }

        var mismatched = 0;
        AnsiConsole.Progress().Start(progress =>
        {
            var task = progress.AddTask("configurations", maxValue: configurations.Count);
            foreach (var (label, igosOptions) in configurations)
            {
                task.Description = label.Trim();
                var clock = Stopwatch.StartNew();
                var maps = new Igos(igosOptions).Attribute(model, images, Target.Predicted);
                var seconds = clock.Elapsed.TotalSeconds / images.Count;
                mismatched = maps.Where((m, i) => m.Target != rows[i].Target).Count();
                var d = MeanInterval.Of(deletion.Score(model, images, maps).Select(s => s.Auc).ToArray());
                var ins = MeanInterval.Of(insertion.Score(model, images, maps).Select(s => s.Auc).ToArray());
                var within = $"{Yes(authorsDeletion.Contains(d.Mean))}, {Yes(authorsInsertion.Contains(ins.Mean))}";
                table.Add(label, d.ToString(), ins.ToString(), within, seconds, seconds / authorsSeconds);
                task.Increment(1);
            }
        });
        table.Print();
        var machine = $"{Machine.Describe(threads)}; the authors' figures from {settings.Reference} ({reference.Date}: {reference.Command})";
        table.Write(settings.Out, "igos-reference", machine);
        if (mismatched > 0) AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]{mismatched} images explain a different class than the reference's[/]");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"written to [bold]{Path.Combine(settings.Out, "igos-reference.md")}[/]");
        return 0;
    }

    static string Yes(bool value) => value ? "yes" : "no";
}

/// <summary>A mean and its 95% Student t interval.</summary>
public sealed record MeanInterval(double Mean, double Low, double High)
{
    public static MeanInterval Of(IReadOnlyList<double> values)
    {
        var statistics = new RunningStatistics();
        foreach (var value in values) statistics.Add(value);
        var (low, high) = statistics.ConfidenceInterval95() ?? throw new ArgumentException("an interval needs at least two values", nameof(values));
        return new MeanInterval(statistics.Mean, low, high);
    }

    public bool Contains(double value) => value >= Low && value <= High;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Mean:F3} [{Low:F3}, {High:F3}]");
}

/// <summary>
/// docs/data/igos-reference.json, as scripts/igos_reference.py writes it: the authors' I-GOS on the shipped model,
/// its settings, and each image's deletion and insertion AUC and seconds.
/// </summary>
public sealed record IgosReference(string Images, IgosReferenceSettings Settings, IReadOnlyDictionary<string, MeanInterval> Summary,
    double SecondsPerImage, string Date, string Command, IReadOnlyList<IgosReferenceImage> PerImage)
{
    public const string DefaultPath = "docs/data/igos-reference.json";

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IgosReference Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no I-GOS reference at {path} (scripts/igos_reference.py writes it)", path);
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<IgosReference>(stream, Json) ?? throw new InvalidDataException($"{path} holds no I-GOS reference");
    }

    /// <summary>Saliency's I-GOS with the reference's settings. The reference's noise is on the first channel only, which on one-channel images is every channel.</summary>
    public IgosOptions Options()
    {
        var s = Settings;
        return new IgosOptions
        {
            MaskSize = s.SizeInit,
            Baseline = Substrate.Parse(FormattableString.Invariant($"blur:{s.BlurSigma}:{s.BlurKernel}")),
            Iterations = s.MaxIterations,
            IntegrationSteps = s.IntegIter,
            Noise = s.NoiseSigma,
            L1 = s.L1Coeff,
            TotalVariation = s.TvCoeff,
            TotalVariationBeta = s.TvBeta,
            InitialStep = s.LineSearch.InitialStep,
            StepDecay = s.LineSearch.Decay,
            ArmijoConstant = s.LineSearch.Armijo,
            MinimumStep = s.LineSearch.MinimumStep,
            TakeFailedSteps = true,
            Seed = s.Seed,
        };
    }
}

/// <summary>The reference's settings, named as the authors' parameters are.</summary>
public sealed record IgosReferenceSettings(int MaxIterations, int IntegIter, double TvBeta, double L1Coeff, double TvCoeff, int SizeInit,
    int BlurKernel, double BlurSigma, double NoiseSigma, IgosReferenceLineSearch LineSearch, int MetricStep, string Substrate, long Seed);

public sealed record IgosReferenceLineSearch(double InitialStep, double Decay, double Armijo, double MinimumStep);

/// <summary>One image of the reference: the class explained, deletion and insertion as Saliency scores them, the authors' own partial curves' areas, seconds.</summary>
public sealed record IgosReferenceImage(int Index, int Target, double Deletion, double Insertion, double AuthorsDeletion, double AuthorsInsertion, double Seconds);
