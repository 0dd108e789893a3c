using System.ComponentModel;
using System.Globalization;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Rendering;
using Saliency.Attribution.Output;
using Saliency.Attribution.Quadrature;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Commands;

public sealed class AttributeSettings : ModelSettings
{
    [CommandOption("--images <SELECTION>"), Description("fashion-mnist:SPLIT[[:RANGES]], fashion-planted:test[[:RANGES]] (the planted ground-truth list) or folder:PATH.")]
    [DefaultValue("fashion-mnist:test:0-15")]
    public string Images { get; init; } = "fashion-mnist:test:0-15";

    [CommandOption("--method <NAMES>"), Description("Comma-separated methods: ig, gradient, gradient-x-input, smoothgrad, smoothgrad-sq, vargrad, gradcam, igos, igos-pp, occlusion, rise, blur-ig, guided-ig, random.")]
    [DefaultValue("ig")]
    public string Method { get; init; } = "ig";

    [CommandOption("--baseline <BASELINE>"), Description("Baseline of ig and guided-ig: black, white, blur:SIGMA, uniform, gaussian:SIGMA, max-distance or expected:K (ig only).")]
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

    [CommandOption("--batch <N>"), Description("Images per forward/backward pass, of a method and of the deletion and insertion curves.")]
    [DefaultValue(64)]
    public int InternalBatchSize { get; init; } = 64;

    [CommandOption("--seed <N>"), Description("Seed of random baselines.")]
    [DefaultValue(0L)]
    public long Seed { get; init; }

    [CommandOption("--layer <NAME>"), Description("Grad-CAM layer: a module path, or for an ONNX model a node or output name (default: the last convolution).")]
    public string? Layer { get; init; }

    [CommandOption("--samples <N>"), Description("Noisy copies per image for smoothgrad, smoothgrad-sq and vargrad.")]
    [DefaultValue(50)]
    public int Samples { get; init; } = 50;

    [CommandOption("--noise <SIGMA>"), Description("Noise of the SmoothGrad family, in [[0, 1]] pixel units.")]
    [DefaultValue(0.15)]
    public double Noise { get; init; } = 0.15;

    [CommandOption("--iterations <N>"), Description("I-GOS and iGOS++ iterations.")]
    [DefaultValue(15)]
    public int Iterations { get; init; } = 15;

    [CommandOption("--mask-size <N>"), Description("I-GOS and iGOS++ mask side (default: 28 cells, or the input side when smaller).")]
    public int? MaskSize { get; init; }

    [CommandOption("--igos-baseline <S>"), Description("What the masks of I-GOS and iGOS++ reveal: black, mean, blur, blur:SIGMA or blur:SIGMA:K (blur:6.25:7 is the reference's 7×7 kernel on 28 pixels).")]
    [DefaultValue("blur")]
    public string IgosBaseline { get; init; } = "blur";

    [CommandOption("--l1 <WEIGHT>"), Description("iGOS++ weight of the mask's area, mean |1 − mask|.")]
    [DefaultValue(IgosPlusPlusOptions.DefaultL1)]
    public double L1 { get; init; } = IgosPlusPlusOptions.DefaultL1;

    [CommandOption("--tv <WEIGHT>"), Description("iGOS++ weight of the mask's bilateral total variation.")]
    [DefaultValue(IgosPlusPlusOptions.DefaultTotalVariation)]
    public double TotalVariation { get; init; } = IgosPlusPlusOptions.DefaultTotalVariation;

    [CommandOption("--window <PIXELS>"), Description("Occlusion window side (default: the image's shorter side / 7, rounded).")]
    public int? Window { get; init; }

    [CommandOption("--stride <PIXELS>"), Description("Occlusion stride (default: half the window).")]
    public int? Stride { get; init; }

    [CommandOption("--fill <S>"), Description("What occlusion's window and RISE's masks show instead of the image: black, mean, blur, blur:SIGMA or blur:SIGMA:K (default: mean for occlusion, black for rise).")]
    public string? Fill { get; init; }

    [CommandOption("--masks <N>"), Description("RISE masks per image.")]
    [DefaultValue(RiseOptions.DefaultMasks)]
    public int Masks { get; init; } = RiseOptions.DefaultMasks;

    [CommandOption("--grid <CELLS>"), Description("Cells per side of RISE's low-resolution grid.")]
    [DefaultValue(RiseOptions.DefaultGrid)]
    public int Grid { get; init; } = RiseOptions.DefaultGrid;

    [CommandOption("--probability <P>"), Description("Chance that a RISE grid cell keeps the image.")]
    [DefaultValue(RiseOptions.DefaultProbability)]
    public double Probability { get; init; } = RiseOptions.DefaultProbability;

    [CommandOption("--path-steps <N>"), Description("Gradient steps of blur-ig and guided-ig (default: 100 for blur-ig, 200 for guided-ig, as their references).")]
    public int? PathSteps { get; init; }

    [CommandOption("--max-sigma <PIXELS>"), Description("σ of blur-ig's fully blurred start (default: 50 · the shorter side / 224, 6.25 on 28 pixels).")]
    public double? MaxSigma { get; init; }

    [CommandOption("--grad-step <SIGMA>"), Description("σ increment of blur-ig's finite difference ∂x/∂σ.")]
    [DefaultValue(BlurIntegratedGradientsOptions.DefaultGradStep)]
    public double GradStep { get; init; } = BlurIntegratedGradientsOptions.DefaultGradStep;

    [CommandOption("--fraction <F>"), Description("Share of features guided-ig moves at each step, those of smallest |gradient|.")]
    [DefaultValue(GuidedIntegratedGradientsOptions.DefaultFraction)]
    public double Fraction { get; init; } = GuidedIntegratedGradientsOptions.DefaultFraction;

    [CommandOption("--max-dist <F>"), Description("How far, in α, guided-ig's path may stray from the straight line: 0 is IG's path, 1 unbounded.")]
    [DefaultValue(GuidedIntegratedGradientsOptions.DefaultMaxDistance)]
    public double MaxDistance { get; init; } = GuidedIntegratedGradientsOptions.DefaultMaxDistance;

    [CommandOption("--anchors <N>"), Description("Points of the straight line guided-ig's path passes through (0: only its ends).")]
    [DefaultValue(GuidedIntegratedGradientsOptions.DefaultAnchors)]
    public int Anchors { get; init; } = GuidedIntegratedGradientsOptions.DefaultAnchors;

    [CommandOption("--metrics <NAMES>"), Description("Comma-separated faithfulness metrics: deletion, insertion.")]
    public string? Metrics { get; init; }

    [CommandOption("--deletion-substrate <S>"), Description("black, mean, blur or blur:SIGMA.")]
    [DefaultValue("blur")]
    public string DeletionSubstrate { get; init; } = "blur";

    [CommandOption("--insertion-substrate <S>"), Description("black, mean, blur or blur:SIGMA.")]
    [DefaultValue("blur")]
    public string InsertionSubstrate { get; init; } = "blur";

    [CommandOption("--metric-step <STEP>"), Description("Pixels moved per deletion/insertion step, or a fraction of the pixels such as 0.01 (default: one image row).")]
    public string? MetricStep { get; init; }

    [CommandOption("--metric-tolerance <AUC>"), Description("Score deletion/insertion curves only where needed for an AUC within this of the one-row-step curve, such as 0.005 (instead of --metric-step).")]
    public string? MetricTolerance { get; init; }

    [CommandOption("--png"), Description("Also write heatmaps per image and a comparison sheet (needs --out).")]
    public bool Png { get; init; }

    [CommandOption("--sign <MODE>"), Description("Heatmap sign mode: positive, negative, absolute or all.")]
    [DefaultValue("all")]
    public string Sign { get; init; } = "all";

    [CommandOption("--out <DIR>"), Description("Directory for the .npy maps and attributions.json.")]
    public string? Out { get; init; }

    [CommandOption("--json"), Description("Print attributions.json to standard output instead of a table.")]
    public bool Json { get; init; }

    public IReadOnlyList<string> MethodNames()
    {
        var names = Method.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new ArgumentException("--method names no method");
        foreach (var name in names)
            if (!MethodCatalog.Names.Contains(name))
                throw new ArgumentException($"unknown method '{name}' (known: {string.Join(", ", MethodCatalog.Names)})");
        return names;
    }

    public MethodSettings MethodSettings(ScoreKind score, Func<Saliency.Attribution.Data.ImageCatalog> references) => new()
    {
        Score = score,
        InternalBatchSize = InternalBatchSize,
        Seed = Seed,
        Layer = Layer,
        NoiseSamples = Samples,
        NoiseLevel = Noise,
        Igos = new IgosOptions { Iterations = Iterations, MaskSize = MaskSize, Baseline = Substrate.Parse(IgosBaseline) },
        IgosPlusPlus = new IgosPlusPlusOptions { Iterations = Iterations, MaskSize = MaskSize, Baseline = Substrate.Parse(IgosBaseline), L1 = L1, TotalVariation = TotalVariation },
        Occlusion = new OcclusionOptions { Window = Window, Stride = Stride, Fill = Substrate.Parse(Fill ?? OcclusionOptions.DefaultFill) },
        Rise = new RiseOptions { Masks = Masks, Grid = Grid, Probability = Probability, Fill = Substrate.Parse(Fill ?? RiseOptions.DefaultFill) },
        BlurIntegratedGradients = new BlurIntegratedGradientsOptions
        { MaxSigma = MaxSigma, Steps = PathSteps ?? BlurIntegratedGradientsOptions.DefaultSteps, GradStep = GradStep },
        GuidedIntegratedGradients = new GuidedIntegratedGradientsOptions
        {
            Baseline = Saliency.Attribution.Baselines.Baseline.Parse(Baseline, references),
            Steps = PathSteps ?? GuidedIntegratedGradientsOptions.DefaultSteps,
            Fraction = Fraction,
            MaxDistance = MaxDistance,
            Anchors = Anchors,
        },
    };

    public IReadOnlyList<CausalMetric> FaithfulnessMetrics()
    {
        var names = (Metrics ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var (deletion, insertion) = (Substrate.Parse(DeletionSubstrate), Substrate.Parse(InsertionSubstrate));
        if (MetricStep is not null && MetricTolerance is not null)
            throw new ArgumentException(Saliency.Attribution.Metrics.MetricStep.BothGiven("--metric-step", "--metric-tolerance"));
        var step = MetricTolerance is not null ? Saliency.Attribution.Metrics.MetricStep.ParseTolerance(MetricTolerance)
            : MetricStep is null ? null : Saliency.Attribution.Metrics.MetricStep.Parse(MetricStep);
        return names.Select(name => name switch
        {
            "deletion" => CausalMetric.Deletion(deletion, step, InternalBatchSize),
            "insertion" => CausalMetric.Insertion(insertion, step, InternalBatchSize),
            _ => throw new ArgumentException($"unknown metric '{name}' (known: deletion, insertion)"),
        }).ToArray();
    }

    public SignMode SignMode() => Sign switch
    {
        "positive" => Saliency.Attribution.Rendering.SignMode.Positive,
        "negative" => Saliency.Attribution.Rendering.SignMode.Negative,
        "absolute" => Saliency.Attribution.Rendering.SignMode.Absolute,
        "all" => Saliency.Attribution.Rendering.SignMode.All,
        _ => throw new ArgumentException($"--sign '{Sign}' is not positive, negative, absolute or all"),
    };

    public IntegratedGradientsOptions IntegratedGradients(Func<Saliency.Attribution.Data.ImageCatalog> references)
    {
        var auto = Steps == "auto";
        if (!auto && !int.TryParse(Steps, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            throw new ArgumentException($"--steps '{Steps}' is neither a positive integer nor 'auto'");
        return new IntegratedGradientsOptions
        {
            Baseline = Saliency.Attribution.Baselines.Baseline.Parse(Baseline, references),
            Steps = auto ? 16 : int.Parse(Steps, CultureInfo.InvariantCulture),
            AutoSteps = auto,
            MaxSteps = MaxSteps,
            AutoTolerance = Tolerance,
            Rule = QuadratureRule.Parse(Rule),
            Score = ScoreKinds.Parse(Score),
            MultiplyByInputs = MultiplyByInputs,
            InternalBatchSize = InternalBatchSize,
            Seed = Seed,
        };
    }

    /// <summary>What a method other than IG ran with: the seed, and the options of iGOS++, occlusion, RISE, Blur IG and Guided IG as resolved for the images.</summary>
    public IReadOnlyDictionary<string, string> Parameters(string method, MethodSettings settings, Saliency.Attribution.Data.ImageShape shape)
    {
        var parameters = new Dictionary<string, string>();
        if (method == "occlusion")
        {
            var (window, stride) = settings.Occlusion.Resolve(shape.Height, shape.Width);
            parameters["window"] = window.ToString(CultureInfo.InvariantCulture);
            parameters["stride"] = stride.ToString(CultureInfo.InvariantCulture);
            parameters["fill"] = settings.Occlusion.Fill.Name;
        }
        if (method == "rise")
        {
            parameters["masks"] = settings.Rise.Masks.ToString(CultureInfo.InvariantCulture);
            parameters["grid"] = settings.Rise.Grid.ToString(CultureInfo.InvariantCulture);
            parameters["probability"] = settings.Rise.Probability.ToString("R", CultureInfo.InvariantCulture);
            parameters["fill"] = settings.Rise.Fill.Name;
        }
        if (method == "igos-pp")
        {
            var igos = settings.IgosPlusPlus;
            parameters["iterations"] = igos.Iterations.ToString(CultureInfo.InvariantCulture);
            parameters["mask_size"] = igos.ResolveMaskSize(shape.Height, shape.Width).ToString(CultureInfo.InvariantCulture);
            parameters["l1"] = igos.L1.ToString("R", CultureInfo.InvariantCulture);
            parameters["tv"] = igos.TotalVariation.ToString("R", CultureInfo.InvariantCulture);
            parameters["baseline"] = igos.Baseline.Name;
        }
        if (method == "blur-ig")
        {
            var blur = settings.BlurIntegratedGradients;
            parameters["max_sigma"] = blur.ResolveMaxSigma(shape.Height, shape.Width).ToString("R", CultureInfo.InvariantCulture);
            parameters["steps"] = blur.Steps.ToString(CultureInfo.InvariantCulture);
            parameters["grad_step"] = blur.GradStep.ToString("R", CultureInfo.InvariantCulture);
        }
        if (method == "guided-ig")
        {
            var guided = settings.GuidedIntegratedGradients;
            parameters["baseline"] = guided.Baseline.Name;
            parameters["steps"] = guided.Steps.ToString(CultureInfo.InvariantCulture);
            parameters["fraction"] = guided.Fraction.ToString("R", CultureInfo.InvariantCulture);
            parameters["max_dist"] = guided.MaxDistance.ToString("R", CultureInfo.InvariantCulture);
            parameters["anchors"] = guided.Anchors.ToString(CultureInfo.InvariantCulture);
        }
        parameters["seed"] = Seed.ToString(CultureInfo.InvariantCulture);
        return parameters;
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
        var methodNames = settings.MethodNames();
        var metrics = settings.FaithfulnessMetrics();
        var sign = settings.SignMode();
        if (settings.Png && settings.Out is null) throw new ArgumentException("--png needs --out DIR");
        // The model, and so its device, before any other use of torch: a CUDA build then starts with its CUDA backend loaded.
        using var model = settings.LoadModel();
        TorchThreads.Apply(settings.Threads);
        var (images, references) = ModelSettings.LoadImages(settings.Images, model);
        var integratedGradients = methodNames.Contains("ig") ? settings.IntegratedGradients(references) : null;
        var methodSettings = settings.MethodSettings(integratedGradients?.Score ?? ScoreKind.Logit, references);
        var target = Target.Parse(settings.Target);

        var reports = new List<(string Method, AttributionReport Report, IReadOnlyList<ImageAttribution> Maps)>();
        foreach (var name in methodNames)
        {
            var method = MethodCatalog.Create(name, methodSettings, integratedGradients);
            var attributions = method.Attribute(model, images, target);
            var deletion = metrics.FirstOrDefault(m => m.Deletes)?.Score(model, images, attributions);
            var insertion = metrics.FirstOrDefault(m => !m.Deletes)?.Score(model, images, attributions);
            var faithfulness = deletion is null && insertion is null ? null : new FaithfulnessScores(deletion, insertion);
            var parameters = name == "ig" ? settings.Parameters(integratedGradients!) : settings.Parameters(name, methodSettings, images.Shape);
            var report = settings.Out is { } root
                ? AttributionWriter.Write(methodNames.Count == 1 ? root : Path.Combine(root, name), settings.Model, settings.Images, images, name, parameters, model.Spec, attributions, faithfulness)
                : AttributionReport.From(settings.Model, settings.Images, images, name, parameters, model.Spec, attributions, null, faithfulness);
            reports.Add((name, report, attributions));
        }

        if (settings.Png) WriteHeatmaps(settings.Out!, images, reports, sign);
        if (settings.Json)
        {
            Console.WriteLine(reports.Count == 1 ? reports[0].Report.ToJson()
                : System.Text.Json.JsonSerializer.Serialize(reports.Select(r => r.Report), AttributionReport.Json));
            return 0;
        }
        foreach (var (_, report, _) in reports) AnsiConsole.Write(Table(report));
        if (settings.Out is not null)
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"maps and attributions.json written to [bold]{settings.Out}[/]{(settings.Png ? " with heatmaps and comparison.png" : "")}");
        return 0;
    }

    static void WriteHeatmaps(string root, Saliency.Attribution.Data.ImageSet images,
        IReadOnlyList<(string Method, AttributionReport Report, IReadOnlyList<ImageAttribution> Maps)> reports, SignMode sign)
    {
        var options = new HeatmapOptions { Sign = sign };
        var renderer = new HeatmapRenderer(options);
        foreach (var (method, _, maps) in reports)
        {
            var directory = reports.Count == 1 ? root : Path.Combine(root, method);
            for (var i = 0; i < images.Count; i++)
            {
                using var blended = renderer.RenderBlended(images.Image(i), images.Shape, maps[i].Map);
                HeatmapRenderer.SavePng(blended, Path.Combine(directory, $"heatmap_{images.Keys[i]:D5}.png"));
                using var alone = renderer.RenderMap(maps[i].Map, images.Shape);
                HeatmapRenderer.SavePng(alone, Path.Combine(directory, $"map_{images.Keys[i]:D5}.png"));
            }
        }
        new ComparisonSheet
        {
            Shape = images.Shape,
            Images = Enumerable.Range(0, images.Count).Select(i => images.Image(i).ToArray()).ToArray(),
            ColumnTitles = reports.Select(r => r.Method == "ig" ? $"ig {r.Report.Parameters["baseline"]}" : r.Method).ToArray(),
            Maps = Enumerable.Range(0, images.Count).Select(i => (IReadOnlyList<float[]>)reports.Select(r => r.Maps[i].Map).ToArray()).ToArray(),
            Captions = Enumerable.Range(0, images.Count).Select(i => (IReadOnlyList<string?>)reports.Select(r => Caption(r.Report.Results[i])).ToArray()).ToArray(),
            ImageCaptions = Enumerable.Range(0, images.Count).Select(i => (string?)$"#{images.Keys[i]} {reports[0].Report.Results[i].TargetName}").ToArray(),
            Heatmap = options,
        }.SavePng(Path.Combine(root, "comparison.png"));
    }

    static string? Caption(AttributionRecord record)
    {
        var parts = new List<string>();
        if (record.DeletionAuc is { } d) parts.Add($"del {d.ToString("F3", CultureInfo.InvariantCulture)}");
        if (record.InsertionAuc is { } a) parts.Add($"ins {a.ToString("F3", CultureInfo.InvariantCulture)}");
        return parts.Count == 0 ? null : string.Join(" · ", parts);
    }

    static Table Table(AttributionReport report)
    {
        var table = new Table().Title($"{report.Method} · {string.Join(" · ", report.Parameters.Select(p => $"{p.Key} {p.Value}"))}");
        foreach (var column in new[] { "image", "label", "target", "F(x)", "F(x′)", "Σ attr", "delta", "|delta| rel.", "deletion", "insertion", "steps", "ms" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var r in report.Results)
            table.AddRow(r.Index.ToString(CultureInfo.InvariantCulture), r.Label.ToString(CultureInfo.InvariantCulture), $"{r.Target} {r.TargetName}", F(r.Score), F(r.BaselineScore),
                F(r.AttributionSum), F(r.Delta), r.RelativeDelta is { } d ? d.ToString("P2", CultureInfo.InvariantCulture) : "",
                F(r.DeletionAuc), F(r.InsertionAuc),
                r.Steps.ToString(CultureInfo.InvariantCulture), (r.Seconds * 1000).ToString("F1", CultureInfo.InvariantCulture));
        return table;
    }

    static string F(double? value) => value?.ToString("F4", CultureInfo.InvariantCulture) ?? "";
}
