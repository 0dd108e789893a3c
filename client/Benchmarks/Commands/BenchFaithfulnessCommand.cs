using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Results;
using Saliency.Cli.ModelOptions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchFaithfulnessSettings : BenchSettings
{
    [CommandOption("--images <SELECTION>")]
    [DefaultValue("fashion-mnist:test:0-199")]
    public string Images { get; init; } = "fashion-mnist:test:0-199";

    [CommandOption("--steps <N>"), Description("Integrated Gradients steps.")]
    [DefaultValue(64)]
    public int Steps { get; init; } = 64;
}

/// <summary>
/// Deletion and insertion AUC of every method on the same images, with 95% confidence intervals, and
/// the seconds each method spends per image: the I-GOS paper's claim, measured on the shipped model.
/// </summary>
public sealed class BenchFaithfulnessCommand : Command<BenchFaithfulnessSettings>
{
    public override int Execute(CommandContext context, BenchFaithfulnessSettings settings, CancellationToken cancellation)
    {
        var threads = TorchThreads.Apply(settings.Threads);
        using var model = new ModelSettings().LoadModel();
        var (images, _) = ModelSettings.LoadImages(settings.Images, model);
        var methods = new (string Label, IAttributionMethod Method)[]
        {
            ("random", new RandomMap()),
            ("gradient", new VanillaGradient()),
            ("smoothgrad", new NoiseTunnel(new VanillaGradient(absolute: false))),
            ("gradcam", new GradCam()),
            ("ig black", new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("black"), Steps = settings.Steps })),
            ("ig blur", new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("blur"), Steps = settings.Steps })),
            ("igos", new Igos()),
            ("igos-pp", new IgosPlusPlus()),
            ("occlusion", new Occlusion()),
            ("rise", new Rise()),
            ("blur-ig", new BlurIntegratedGradients()),
            ("guided-ig", new GuidedIntegratedGradients()),
        };
        var (deletion, insertion) = (CausalMetric.Deletion(), CausalMetric.Insertion());
        var table = new BenchmarkTable($"Faithfulness on {images.Source} ({images.Count} images), deletion and insertion with blur substrates",
            "method", "deletion AUC (lower is better)", "insertion AUC (higher is better)", "seconds/image");

        AnsiConsole.Progress().Start(progress =>
        {
            var task = progress.AddTask("methods", maxValue: methods.Length);
            foreach (var (label, method) in methods)
            {
                task.Description = label;
                var clock = Stopwatch.StartNew();
                var maps = method.Attribute(model, images, Target.Predicted);
                var seconds = clock.Elapsed.TotalSeconds / images.Count;
                table.Add(label, MeanInterval(deletion.Score(model, images, maps)), MeanInterval(insertion.Score(model, images, maps)), seconds);
                task.Increment(1);
            }
        });
        table.Print();
        table.Write(settings.Out, "faithfulness", Machine.Describe(threads));
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"written to [bold]{Path.Combine(settings.Out, "faithfulness.md")}[/]");
        return 0;
    }

    /// <summary>Mean ± half-width of the Student t 95% interval of the mean, the interval every report uses.</summary>
    static string MeanInterval(IReadOnlyList<CurveScore> scores)
    {
        var statistics = new RunningStatistics();
        foreach (var score in scores) statistics.Add(score.Auc);
        return statistics.ConfidenceInterval95() is var (low, high)
            ? FormattableString.Invariant($"{statistics.Mean:F3} ± {(high - low) / 2:F3}")
            : FormattableString.Invariant($"{statistics.Mean:F3}");
    }
}
