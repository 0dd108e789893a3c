using System.ComponentModel;
using System.Globalization;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Methods;
using Saliency.Cli.ModelOptions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchIgosSettings : BenchSettings
{
    [CommandOption("--images <N>")]
    [DefaultValue(16)]
    public int Images { get; init; } = 16;

    [CommandOption("--repetitions <N>")]
    [DefaultValue(3)]
    public int Repetitions { get; init; } = 3;
}

/// <summary>Seconds per image of I-GOS at its defaults against IG at 20 and 50 steps, on the same images in one run.</summary>
public sealed class BenchIgosCommand : Command<BenchIgosSettings>
{
    public override int Execute(CommandContext context, BenchIgosSettings settings, CancellationToken cancellation)
    {
        var threads = TorchThreads.Apply(settings.Threads);
        using var model = new ModelSettings().LoadModel();
        var images = Saliency.Attribution.Data.FashionMnist.Load("test").Slice(0, settings.Images);
        var table = new BenchmarkTable($"I-GOS against IG on fashion-cnn, {settings.Images} images, {threads} threads",
            "method", "seconds/image", "ratio to IG 50 steps");
        double SecondsPerImage(IAttributionMethod method) =>
            Measure.MedianSeconds(settings.Repetitions, () => method.Attribute(model, images, Target.Predicted)) / images.Count;

        var ig20 = SecondsPerImage(new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("blur"), Steps = 20 }));
        var ig50 = SecondsPerImage(new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("blur"), Steps = 50 }));
        var igos = SecondsPerImage(new Igos());
        table.Add("integrated gradients, 20 steps", ig20, ig20 / ig50);
        table.Add("integrated gradients, 50 steps", ig50, 1.0);
        table.Add("i-gos (15 iterations, 20 integration steps)", igos, igos / ig50);
        table.Print();
        table.Write(settings.Out, "igos", Machine.Describe(threads));
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"written to [bold]{Path.Combine(settings.Out, "igos.md")}[/]");
        return 0;
    }
}
