using System.ComponentModel;
using System.Globalization;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Commands;

public sealed class DemoSettings : CommandSettings
{
    [CommandOption("--images <SELECTION>")]
    [DefaultValue("fashion-mnist:test:0-15")]
    public string Images { get; init; } = "fashion-mnist:test:0-15";

    [CommandOption("--steps <N>")]
    [DefaultValue(64)]
    public int Steps { get; init; } = 64;

    [CommandOption("--out <DIR>")]
    [DefaultValue("runs/demo")]
    public string Out { get; init; } = "runs/demo";

    [CommandOption("--threads <N>")]
    public int? Threads { get; init; }
}

/// <summary>Integrated Gradients on a few test images with every baseline: completeness and cost side by side.</summary>
public sealed class DemoCommand : Command<DemoSettings>
{
    static readonly string[] Baselines = { "black", "white", "blur:5", "uniform", "gaussian:0.5", "max-distance", "expected:16" };

    public override int Execute(CommandContext context, DemoSettings settings, CancellationToken cancellation)
    {
        var threads = TorchThreads.Apply(settings.Threads);
        using var model = new ModelSettings().LoadModel();
        var (images, references) = ModelSettings.LoadImages(settings.Images, model);
        AnsiConsole.MarkupLineInterpolated($"Integrated Gradients, {settings.Steps} Gauss–Legendre steps, on {images.Count} images of {images.Source} with fashion-cnn ({threads} threads)");

        var table = new Table().AddColumns("baseline", "mean |delta|", "mean |delta| / |F(x) − F(x′)|", "seconds", "images/s");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        AnsiConsole.Progress().Start(progress =>
        {
            var task = progress.AddTask("baselines", maxValue: Baselines.Length);
            foreach (var name in Baselines)
            {
                task.Description = name;
                var options = new IntegratedGradientsOptions { Baseline = Baseline.Parse(name, references), Steps = settings.Steps };
                var started = DateTime.UtcNow;
                var attributions = new IntegratedGradients(options).Attribute(model, images, Target.Predicted);
                var seconds = (DateTime.UtcNow - started).TotalSeconds;
                AttributionWriter.Write(Path.Combine(settings.Out, name.Replace(':', '-')), "fashion-cnn", images, "ig",
                    new Dictionary<string, string> { ["baseline"] = name, ["steps"] = settings.Steps.ToString() }, model.Spec, attributions);
                table.AddRow(name, F(attributions.Average(a => Math.Abs(a.Completeness!.Delta))),
                    attributions.Average(a => a.Completeness!.RelativeDelta(a.Score)).ToString("P3", CultureInfo.InvariantCulture),
                    seconds.ToString("F2", CultureInfo.InvariantCulture), (images.Count / seconds).ToString("F1", CultureInfo.InvariantCulture));
                task.Increment(1);
            }
        });
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"maps and attributions.json per baseline written under [bold]{settings.Out}[/]");
        return 0;
    }

    static string F(double value) => value.ToString("F5", CultureInfo.InvariantCulture);
}
