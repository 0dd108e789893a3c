using System.ComponentModel;
using System.Globalization;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Output;
using Saliency.Attribution.Quadrature;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Commands;

public sealed class AttributeSettings : ModelSettings
{
    [CommandOption("--images <SELECTION>"), Description("fashion-mnist:SPLIT[:RANGES] or folder:PATH.")]
    [DefaultValue("fashion-mnist:test:0-15")]
    public string Images { get; init; } = "fashion-mnist:test:0-15";

    [CommandOption("--method <NAME>"), Description("Attribution method: ig.")]
    [DefaultValue("ig")]
    public string Method { get; init; } = "ig";

    [CommandOption("--baseline <BASELINE>"), Description("black, white, blur:SIGMA, uniform, gaussian:SIGMA, max-distance or expected:K.")]
    [DefaultValue("black")]
    public string Baseline { get; init; } = "black";

    [CommandOption("--steps <N|auto>"), Description("Quadrature steps, or auto: doubled until |delta| is within the tolerance.")]
    [DefaultValue("50")]
    public string Steps { get; init; } = "50";

    [CommandOption("--max-steps <N>"), Description("Cap of --steps auto.")]
    [DefaultValue(1024)]
    public int MaxSteps { get; init; } = 1024;

    [CommandOption("--tolerance <FRACTION>"), Description("Relative |delta| that --steps auto accepts.")]
    [DefaultValue(0.01)]
    public double Tolerance { get; init; } = 0.01;

    [CommandOption("--rule <RULE>"), Description("riemann_left, riemann_right, riemann_middle, riemann_trapezoid or gausslegendre.")]
    [DefaultValue("gausslegendre")]
    public string Rule { get; init; } = "gausslegendre";

    [CommandOption("--score <KIND>"), Description("Explain the target's logit or its softmax probability.")]
    [DefaultValue("logit")]
    public string Score { get; init; } = "logit";

    [CommandOption("--target <TARGET>"), Description("predicted, label, or a class index.")]
    [DefaultValue("predicted")]
    public string Target { get; init; } = "predicted";

    [CommandOption("--multiply-by-inputs <BOOL>"), Description("Multiply integrated gradients by (x − x′).")]
    [DefaultValue(true)]
    public bool MultiplyByInputs { get; init; } = true;

    [CommandOption("--batch <N>"), Description("Interpolated images per forward/backward pass.")]
    [DefaultValue(64)]
    public int InternalBatchSize { get; init; } = 64;

    [CommandOption("--seed <N>"), Description("Seed of random baselines.")]
    [DefaultValue(0L)]
    public long Seed { get; init; }

    [CommandOption("--out <DIR>"), Description("Directory for the .npy maps and attributions.json.")]
    public string? Out { get; init; }

    [CommandOption("--json"), Description("Print attributions.json to standard output instead of a table.")]
    public bool Json { get; init; }

    public IntegratedGradientsOptions IntegratedGradients(Func<Saliency.Attribution.Data.ImageSet> references)
    {
        if (Method != "ig") throw new ArgumentException($"unknown method '{Method}' (known: ig)");
        var auto = Steps == "auto";
        if (!auto && !int.TryParse(Steps, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            throw new ArgumentException($"--steps '{Steps}' is neither a positive integer nor 'auto'");
        return new IntegratedGradientsOptions
        {
            Baseline = ParseBaseline(Baseline, references),
            Steps = auto ? 16 : int.Parse(Steps, CultureInfo.InvariantCulture),
            AutoSteps = auto,
            MaxSteps = MaxSteps,
            AutoTolerance = Tolerance,
            Rule = QuadratureRule.Parse(Rule),
            Score = Score switch
            {
                "logit" => ScoreKind.Logit,
                "probability" => ScoreKind.Probability,
                _ => throw new ArgumentException($"--score '{Score}' is neither 'logit' nor 'probability'"),
            },
            MultiplyByInputs = MultiplyByInputs,
            InternalBatchSize = InternalBatchSize,
            Seed = Seed,
        };
    }

    public IReadOnlyDictionary<string, string> Parameters(IntegratedGradientsOptions options) => new Dictionary<string, string>
    {
        ["baseline"] = options.Baseline.Name,
        ["steps"] = Steps,
        ["rule"] = options.Rule.Name,
        ["score"] = Score,
        ["target"] = Target,
        ["multiply_by_inputs"] = MultiplyByInputs.ToString().ToLowerInvariant(),
        ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
    };
}

public sealed class AttributeCommand : Command<AttributeSettings>
{
    public override int Execute(CommandContext context, AttributeSettings settings, CancellationToken cancellation)
    {
        TorchThreads.Apply(settings.Threads);
        using var model = settings.LoadModel();
        var (images, references) = ModelSettings.LoadImages(settings.Images, model);
        var options = settings.IntegratedGradients(references);
        var target = Target.Parse(settings.Target);

        var attributions = new IntegratedGradients(options).Attribute(model, images, target);
        var parameters = settings.Parameters(options);
        var report = settings.Out is { } directory
            ? AttributionWriter.Write(directory, settings.Model, images, settings.Method, parameters, model.Spec, attributions)
            : AttributionReport.From(settings.Model, images, settings.Method, parameters, model.Spec, attributions);

        if (settings.Json)
        {
            Console.WriteLine(report.ToJson());
            return 0;
        }
        AnsiConsole.Write(Table(report));
        if (settings.Out is not null)
            AnsiConsole.MarkupLineInterpolated($"maps and attributions.json written to [bold]{settings.Out}[/]");
        return 0;
    }

    static Table Table(AttributionReport report)
    {
        var table = new Table().Title($"{report.Method} · {string.Join(" · ", report.Parameters.Select(p => $"{p.Key} {p.Value}"))}");
        foreach (var column in new[] { "image", "label", "target", "F(x)", "F(x′)", "Σ attr", "delta", "|delta| rel.", "steps", "ms" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var r in report.Results)
            table.AddRow(r.Index.ToString(), r.Label.ToString(), $"{r.Target} {r.TargetName}", F(r.Score), F(r.BaselineScore),
                F(r.AttributionSum), F(r.Delta), r.RelativeDelta is { } d ? d.ToString("P2", CultureInfo.InvariantCulture) : "",
                r.Steps.ToString(), (r.Seconds * 1000).ToString("F1", CultureInfo.InvariantCulture));
        return table;
    }

    static string F(double? value) => value?.ToString("F4", CultureInfo.InvariantCulture) ?? "";
}
