using System.ComponentModel;
using System.Globalization;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Quadrature;
using Saliency.Cli.ModelOptions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchQuadratureSettings : BenchSettings
{
    [CommandOption("--images <N>")]
    [DefaultValue(100)]
    public int Images { get; init; } = 100;

    [CommandOption("--baselines <LIST>"), Description("Comma-separated baselines.")]
    [DefaultValue("black,blur:5,uniform,max-distance")]
    public string Baselines { get; init; } = "black,blur:5,uniform,max-distance";

    [CommandOption("--tolerance <T>"), Description("|delta| allowed, relative to |F(x) − F(x′)|.")]
    [DefaultValue(0.01)]
    public double Tolerance { get; init; } = 0.01;

    [CommandOption("--max-steps <N>")]
    [DefaultValue(512)]
    public int MaxSteps { get; init; } = 512;
}

/// <summary>
/// What <c>steps: auto</c> spends: for each quadrature rule and baseline, the steps each image needs
/// before |delta| ≤ tolerance · |F(x) − F(x′)|, doubling from 4, as its median over the images.
/// </summary>
public sealed class BenchQuadratureCommand : Command<BenchQuadratureSettings>
{
    const int FirstSteps = 4;

    public override int Execute(CommandContext context, BenchQuadratureSettings settings, CancellationToken cancellation)
    {
        var threads = TorchThreads.Apply(settings.Threads);
        using var model = new ModelSettings().LoadModel();
        var images = Saliency.Attribution.Data.FashionMnist.Load("test").Slice(0, settings.Images);
        var baselines = settings.Baselines.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var table = new BenchmarkTable(
            $"Steps to |delta| ≤ {settings.Tolerance.ToString(CultureInfo.InvariantCulture)}·|F(x) − F(x′)| on " +
                $"fashion-cnn, {images.Count} test images, doubling from {FirstSteps} up to {settings.MaxSteps}",
            "rule", "baseline", "median steps", "90th percentile steps", "images within the cap", "seconds");
        foreach (var rule in QuadratureRule.Names)
            foreach (var baseline in baselines)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var method = new IntegratedGradients(new IntegratedGradientsOptions
                {
                    Baseline = Baseline.Parse(baseline),
                    Rule = QuadratureRule.Parse(rule),
                    Steps = FirstSteps,
                    AutoSteps = true,
                    AutoTolerance = settings.Tolerance,
                    MaxSteps = settings.MaxSteps,
                });
                var results = method.Attribute(model, images, Target.Predicted);
                // An image still outside the tolerance at the cap needs more than the cap: counted as twice it.
                var steps = results.Select(r => Within(r, settings.Tolerance) ? r.Steps : 2 * settings.MaxSteps).Order().ToArray();
                var within = results.Count(r => Within(r, settings.Tolerance));
                table.Add(rule, baseline, StepsText(steps[steps.Length / 2], settings.MaxSteps),
                    StepsText(steps[Math.Min(steps.Length - 1, (int)Math.Ceiling(steps.Length * 0.9) - 1)], settings.MaxSteps),
                    $"{within} of {results.Count}", clock.Elapsed.TotalSeconds);
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{rule}, {baseline}: median {StepsText(steps[steps.Length / 2], settings.MaxSteps)} steps[/]");
            }
        table.Print();
        table.Write(settings.Out, "quadrature", Machine.Describe(threads));
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"written to [bold]{Path.Combine(settings.Out, "quadrature.md")}[/] and quadrature.csv");
        return 0;
    }

    static bool Within(ImageAttribution result, double tolerance) =>
        result.Completeness is { } completeness && completeness.RelativeDelta(result.Score) <= tolerance;

    static string StepsText(int steps, int cap) => steps > cap ? $"> {cap}" : steps.ToString(CultureInfo.InvariantCulture);
}
