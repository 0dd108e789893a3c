using System.ComponentModel;
using System.Globalization;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using Saliency.Attribution.Output;
using Saliency.Attribution.Rendering;
using Saliency.Cli.ModelOptions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Commands;

public sealed class AttributeSettings : ModelSettings
{
    [CommandOption("--images <SELECTION>"), Description("fashion-mnist:SPLIT[[:RANGES]], fashion-planted:test[[:RANGES]] (the planted ground-truth list) or folder:PATH.")]
    [DefaultValue("fashion-mnist:test:0-15")]
    public string Images { get; init; } = "fashion-mnist:test:0-15";

    [CommandOption("--ground-truth <SOURCE>"), Description("Ground-truth masks of a folder's images, for the localisation " +
        "metrics: folder:PATH (a binary PNG per image, same relative name) or boxes:FILE.csv (file,x0,y0,x1,y1).")]
    public string? GroundTruth { get; init; }

    [CommandOption("--method <NAMES>"), Description("Comma-separated methods: ig, gradient, gradient-x-input, " +
        "smoothgrad, smoothgrad-sq, vargrad, gradcam, igos, igos-pp, occlusion, rise, blur-ig, guided-ig, random.")]
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

    [CommandOption("--batch <N>"), Description("Images per forward/backward pass, of a method and of the deletion and insertion curves " +
        "(default: 64 images of 28 × 28, 32 of 224 × 224: as many as hold 32 × 224 × 224 pixels, up to 64).")]
    public int? InternalBatchSize { get; init; }

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

    [CommandOption("--igos-baseline <S>"), Description("What the masks of I-GOS and iGOS++ reveal: black, " +
        "mean, blur, blur:SIGMA or blur:SIGMA:K (blur:6.25:7 is the reference's 7×7 kernel on 28 pixels).")]
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

    [CommandOption("--fill <S>"), Description("What occlusion's window and RISE's masks show instead of the " +
        "image: black, mean, blur, blur:SIGMA or blur:SIGMA:K (default: mean for occlusion, black for rise).")]
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

    [CommandOption("--param <NAME=VALUE>"), Description("A method parameter, by its name in a sweep spec (l1=0.5, max_dist=0.1); repeat for more. Wins over the option of the same meaning.")]
    public string[]? Param { get; init; }

    [CommandOption("--metrics <NAMES>"), Description("Comma-separated metrics, named as in a sweep spec (deletion, insertion, road, relevance-mass…); an unknown name lists them all.")]
    public string? Metrics { get; init; }

    [CommandOption("--deletion-substrate <S>"), Description("black, mean, blur or blur:SIGMA.")]
    [DefaultValue("blur")]
    public string DeletionSubstrate { get; init; } = "blur";

    [CommandOption("--insertion-substrate <S>"), Description("black, mean, blur or blur:SIGMA.")]
    [DefaultValue("blur")]
    public string InsertionSubstrate { get; init; } = "blur";

    [CommandOption("--metric-step <STEP>"), Description("Pixels moved per deletion/insertion step, or a fraction of the pixels such as 0.01 (default: one image row).")]
    public string? MetricStep { get; init; }

    [CommandOption("--metric-tolerance <AUC>"), Description("Score deletion/insertion curves only where " +
        "needed for an AUC within this of the one-row-step curve, such as 0.005 (instead of --metric-step).")]
    public string? MetricTolerance { get; init; }

    [CommandOption("--metric-proxy <auto|none>"), Description("With --metric-tolerance: auto scores most curve points with the model's " +
        "bfloat16 copy where that runs faster, and corrects them with a few of the model's own; none scores every point with the model (default: auto).")]
    public string? MetricProxy { get; init; }

    [CommandOption("--png"), Description("Also write heatmaps per image and a comparison sheet (needs --out); images with ground-truth masks have them outlined.")]
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
        foreach (var name in names) MethodCatalog.Get(name);
        return names;
    }

    /// <summary>
    /// The value the command line gives a method parameter: <c>--param NAME=VALUE</c>, else the option of the same meaning
    /// (<c>--steps</c> is IG's steps, <c>--path-steps</c> Blur IG's and Guided IG's, <c>--igos-baseline</c> the I-GOS
    /// substrate); null where neither says, so the method's default holds.
    /// </summary>
    string? Given(MethodDescriptor method, string parameter)
    {
        if (ParsedParams().TryGetValue(parameter, out var value)) return value;
        static string? Of<T>(T? option) where T : struct => option is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
        return parameter switch
        {
            MethodParameters.Baseline => method.Name is "igos" or "igos-pp" ? IgosBaseline : Baseline,
            MethodParameters.Steps => method.Name is "blur-ig" or "guided-ig" ? Of(PathSteps) : Steps,
            MethodParameters.Rule => Rule,
            MethodParameters.MultiplyByInputs => MultiplyByInputs ? "true" : "false",
            IntegratedGradientsDescriptor.MaxSteps => Of<int>(MaxSteps),
            IntegratedGradientsDescriptor.Tolerance => Of<double>(Tolerance),
            MethodParameters.Samples => Of<int>(Samples),
            MethodParameters.Noise => Of<double>(Noise),
            MethodParameters.Iterations => Of<int>(Iterations),
            MethodParameters.MaskSize => Of(MaskSize),
            MethodParameters.Layer => Layer,
            IgosPlusPlusDescriptor.L1 => Of<double>(L1),
            IgosPlusPlusDescriptor.TotalVariation => Of<double>(TotalVariation),
            OcclusionDescriptor.Window => Of(Window),
            OcclusionDescriptor.Stride => Of(Stride),
            MethodParameters.Fill => Fill,
            RiseDescriptor.Masks => Of<int>(Masks),
            RiseDescriptor.Grid => Of<int>(Grid),
            RiseDescriptor.Probability => Of<double>(Probability),
            BlurIntegratedGradientsDescriptor.MaxSigma => Of(MaxSigma),
            BlurIntegratedGradientsDescriptor.GradStep => Of<double>(GradStep),
            GuidedIntegratedGradientsDescriptor.Fraction => Of<double>(Fraction),
            GuidedIntegratedGradientsDescriptor.MaxDistance => Of<double>(MaxDistance),
            GuidedIntegratedGradientsDescriptor.Anchors => Of<int>(Anchors),
            _ => null,
        };
    }

    /// <summary><c>--param NAME=VALUE</c>, each name once, and each a parameter of some method given to <c>--method</c>.</summary>
    public IReadOnlyDictionary<string, string> ParsedParams()
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Param ?? [])
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) throw new ArgumentException($"--param '{pair}' is not NAME=VALUE");
            var name = pair[..equals];
            if (!parsed.TryAdd(name, pair[(equals + 1)..])) throw new ArgumentException($"--param {name} is given twice");
            var methods = MethodNames().Select(MethodCatalog.Get).ToList();
            if (!methods.Any(m => m.Parameters.Any(p => p.Name == name)))
                throw new ArgumentException($"--param {name}: no method of --method {Method} takes it ({string.Join("; ", methods.Select(m =>
                    $"{m.Name}: {(m.Parameters.Count == 0 ? "none" : string.Join(", ", m.Parameters.Select(p => p.Name)))}"))})");
        }
        return parsed;
    }

    /// <summary>The method's arguments as the command line gives them, each checked as a sweep spec checks it.</summary>
    public MethodArguments Arguments(MethodDescriptor method, Func<Saliency.Attribution.Data.ImageCatalog> references, ImageShape shape) =>
        MethodArguments.For(method, parameter => Given(method, parameter), ScoreKinds.Parse(Score), Batch(shape), Seed, references);

    /// <summary>Images per pass: --batch, or the default for images of <paramref name="shape"/>.</summary>
    public int Batch(ImageShape shape) => InternalBatchSize switch
    {
        null => PassBatch.DefaultFor(shape),
        >= 1 and var given => given,
        var given => throw new ArgumentException($"--batch must be at least 1, got {given}"),
    };

    /// <summary>What the metrics named by --metrics read, each name checked against the catalogue.</summary>
    /// <param name="batch">Images per forward pass of the curves.</param>
    public JudgingSettings Judging(ScoreKind score, int batch = CausalMetric.DefaultBatchSize)
    {
        var names = (Metrics ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in names) MetricCatalog.Get(name);
        if (MetricStep is not null && MetricTolerance is not null)
            throw new ArgumentException(Saliency.Attribution.Metrics.MetricStep.BothGiven("--metric-step", "--metric-tolerance"));
        if (MetricProxy is not null && MetricTolerance is null)
            throw new ArgumentException(Saliency.Attribution.Metrics.MetricStep.ProxyWithoutTolerance("--metric-proxy", "--metric-tolerance"));
        var proxy = MetricProxy is null || Saliency.Attribution.Metrics.MetricStep.ParseProxy(MetricProxy, "--metric-proxy");
        var step = MetricTolerance is not null ? Saliency.Attribution.Metrics.MetricStep.ParseTolerance(MetricTolerance).WithProxy(proxy)
            : MetricStep is null ? null : Saliency.Attribution.Metrics.MetricStep.Parse(MetricStep);
        return new JudgingSettings(names.Distinct().ToArray(), [Substrate.Parse(DeletionSubstrate)], [Substrate.Parse(InsertionSubstrate)], step,
            batch, Seed, score);
    }

    public SignMode SignMode() => Sign switch
    {
        "positive" => Saliency.Attribution.Rendering.SignMode.Positive,
        "negative" => Saliency.Attribution.Rendering.SignMode.Negative,
        "absolute" => Saliency.Attribution.Rendering.SignMode.Absolute,
        "all" => Saliency.Attribution.Rendering.SignMode.All,
        _ => throw new ArgumentException($"--sign '{Sign}' is not positive, negative, absolute or all"),
    };

    /// <summary>What attributions.json records of a run: every parameter's value, then the score, target and seed.</summary>
    public IReadOnlyDictionary<string, string> Parameters(IReadOnlyDictionary<string, string> used) => new Dictionary<string, string>(used)
    {
        ["score"] = Score,
        ["target"] = Target,
        ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
    };
}

public sealed class AttributeCommand : Command<AttributeSettings>
{
    public override int Execute(CommandContext context, AttributeSettings settings, CancellationToken cancellation)
    {
        var methodNames = settings.MethodNames();
        var asked = settings.Judging(ScoreKind.Logit);
        var sign = settings.SignMode();
        if (settings.Png && settings.Out is null) throw new ArgumentException("--png needs --out DIR");
        // The model, and so its device, before any other use of torch: a CUDA build then starts with its CUDA backend loaded.
        using var model = settings.LoadModel();
        TorchThreads.Apply(settings.Threads);
        var (images, references) = ModelSettings.LoadImages(settings.Images, model, settings.GroundTruth);
        if (asked.Metrics.Select(MetricCatalog.Get).FirstOrDefault(m => m.NeedsGroundTruth) is { } localisation && images.Masks is null)
            throw new ArgumentException($"--metrics {localisation.Name} needs ground-truth masks: --ground-truth folder:PATH or boxes:FILE.csv, or images that bring their own (fashion-planted)");
        settings.ParsedParams();
        var target = Target.Parse(settings.Target);

        var reports = new List<(string Method, AttributionReport Report, IReadOnlyList<ImageAttribution> Maps)>();
        foreach (var name in methodNames)
        {
            var descriptor = MethodCatalog.Get(name);
            var arguments = settings.Arguments(descriptor, references, images.Shape);
            var method = descriptor.Create(arguments);
            var attributions = method.Attribute(model, images, target);
            var judging = settings.Judging(arguments.Score, arguments.Batch);
            ImageJudging? judged = null;
            if (judging.Metrics.Count > 0)
            {
                judged = new ImageJudging(judging, model, images, attributions, method) { ModelCopy = settings.LoadModel };
                judged.Measure(MetricCatalog.All.Where(m => judging.Measures(m.Name)));
            }
            var parameters = settings.Parameters(descriptor.Used(arguments, images.Shape));
            var report = settings.Out is { } root
                ? AttributionWriter.Write(methodNames.Count == 1 ? root : Path.Combine(root, name), settings.Model, settings.Images, images, name, parameters, model.Spec, attributions, judged)
                : AttributionReport.From(settings.Model, settings.Images, images, name, parameters, model.Spec, attributions, null, judged);
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
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"maps and attributions.json written to [bold]{settings.Out}[/]{(settings.Png ? " with heatmaps and comparison.png" : "")}");
        return 0;
    }

    static void WriteHeatmaps(string root, Saliency.Attribution.Data.ImageSet images,
        IReadOnlyList<(string Method, AttributionReport Report, IReadOnlyList<ImageAttribution> Maps)> reports, SignMode sign)
    {
        var options = new HeatmapOptions { Sign = sign };
        var renderer = new HeatmapRenderer(options);
        var outlines = images.Masks?.Select(mask => MaskOutline.Of(mask, options.ScaleFor(images.Shape))).ToArray();
        foreach (var (method, _, maps) in reports)
        {
            var directory = reports.Count == 1 ? root : Path.Combine(root, method);
            for (var i = 0; i < images.Count; i++)
            {
                using var blended = renderer.RenderBlended(images.Image(i), images.Shape, maps[i].Map);
                outlines?[i].DrawOn(blended);
                HeatmapRenderer.SavePng(blended, Path.Combine(directory, $"heatmap_{images.Keys[i]:D5}.png"));
                using var alone = renderer.RenderMap(maps[i].Map, images.Shape);
                outlines?[i].DrawOn(alone);
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
            Masks = images.Masks,
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
