using System.Globalization;
using System.Text.RegularExpressions;
using Saliency.Attribution.Data;
using Saliency.Attribution.Data.GroundTruth;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using Saliency.Attribution.Quadrature;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// Reads a sweep file (YAML, or JSON, which YAML includes) node by node, so every error names the
/// line and the field it is about.
/// </summary>
internal sealed partial class SweepSpecReader
{
    static readonly string[] TopLevelKeys =
    {
        "name", "model", "data", "target", "methods", "metrics", "substrate", "metric_step",
        "shard", "seed", "sample", "objective", "maps", "batch", "score", "labels", "on_bad_image",
        "item_seconds", "sanity", "schedule", "ground_truth", "metric_tolerance", "metric_proxy",
    };

    readonly string file;

    SweepSpecReader(string file) => this.file = file;

    public static SweepSpec Read(string text, string file) =>
        text.Length > SweepSpec.MaxBytes ? throw SweepSpec.TooLarge(file, text.Length) : new SweepSpecReader(file).Read(text);

    SweepSpec Read(string text)
    {
        var top = Fields(Root(text), "", TopLevelKeys);
        var name = top.Required("name", Name);
        var model = top.Optional("model", Model) ?? SweepModel.BuiltIn;
        var data = top.Required("data", Scalar);
        var selection = Parsed(top.Node("data")!, "data", ImageSelection.Parse);
        if (top.Has("labels") && selection.Kind != ImageSelection.Folder)
            throw Error(top.Node("labels")!, "labels", $"a labels CSV labels a folder of images, and data '{data}' is not a folder");
        var target = top.Optional("target", (node, field) => Parsed(node, field, Target.Parse)) ?? Target.Predicted;
        var sample = top.OptionalValue("sample", (node, field) => Integer(node, field, minimum: 1));
        var seed = top.OptionalValue("seed", Long) ?? 0;
        var methods = top.Required("methods", (node, field) => Methods(node, field, sample is not null));
        var trialCount = sample ?? methods.Aggregate(0L, (sum, m) => sum > long.MaxValue - m.GridSize ? long.MaxValue : sum + m.GridSize);
        if (trialCount > SweepSpec.MaxTrials)
            throw Error(top.Node(sample is null ? "methods" : "sample")!, sample is null ? "methods" : "sample",
                $"the sweep holds {(trialCount == long.MaxValue ? "more than 9e18" : trialCount.ToString("N0", CultureInfo.InvariantCulture))} trials; a spec holds at most {SweepSpec.MaxTrials:N0}");
        var groundTruth = top.Optional("ground_truth", (node, field) => Parsed(node, field, GroundTruthSource.Parse));
        if (groundTruth is not null && selection.Kind != ImageSelection.Folder)
            throw Error(top.Node("ground_truth")!, "ground_truth",
                $"ground-truth masks go with a folder of images, and data '{data}' is not a folder{(selection.BringsGroundTruth ? " (it brings masks of its own)" : "")}");
        var hasGroundTruth = groundTruth is not null || selection.BringsGroundTruth;
        var metrics = top.Optional("metrics", MetricList) ?? MetricCatalog.Defaults(hasGroundTruth);
        if (!hasGroundTruth && metrics.Select(MetricCatalog.Get).FirstOrDefault(m => m.NeedsGroundTruth) is { } localisation)
            throw Error(top.Node("metrics")!, "metrics",
                $"metric '{localisation.Name}' scores maps against ground truth, which data '{data}' does not bring: add ground_truth: folder:PATH or boxes:FILE.csv");
        var objective = top.Optional("objective", (node, field) => Parsed(node, field, SweepObjective.Parse)) ?? SweepObjective.DefaultFor(metrics);
        if (objective.Metrics.FirstOrDefault(m => !metrics.Contains(m)) is { } missing)
            throw Error(top.Node("objective") ?? top.Node("metrics")!, "objective",
                $"objective '{objective.Name}'{(top.Has("objective") ? "" : " (the default)")} needs metric '{missing}' in metrics");
        var (deletionSubstrates, insertionSubstrates) = top.Optional("substrate", Substrates) ?? new SubstrateLists([Substrate.Blur], [Substrate.Blur]);

        return new SweepSpec
        {
            Text = text,
            File = file,
            Name = name,
            Model = model,
            Data = data,
            Selection = selection,
            Target = target,
            Methods = methods,
            Metrics = metrics,
            DeletionSubstrates = deletionSubstrates,
            InsertionSubstrates = insertionSubstrates,
            MetricStep = MetricStepOf(top),
            Labels = top.Optional("labels", Scalar),
            GroundTruth = groundTruth,
            OnBadImage = top.OptionalValue("on_bad_image", (node, field) => Parsed(node, field, BadImagePolicies.Parse)) ?? BadImagePolicy.Fail,
            ShardSize = top.OptionalValue("shard", (node, field) => Integer(node, field, minimum: 1)) ?? 64,
            ItemSeconds = top.OptionalValue("item_seconds", PositiveSeconds),
            Sanity = top.Optional("sanity", SanityList) ?? [],
            Schedule = top.Optional("schedule", ScheduleOf) ?? SweepSchedule.Grid,
            Seed = seed,
            Sample = sample,
            Objective = objective,
            Maps = top.OptionalValue("maps", (node, field) => Integer(node, field, minimum: 0)) ?? 8,
            Batch = top.Optional("batch", BatchOf) ?? PassBatch.Default,
            Score = top.OptionalValue("score", ScoreKindOf) ?? ScoreKind.Logit,
            Trials = sample is { } count ? TrialExpansion.Sample(methods, count, seed) : TrialExpansion.Grid(methods),
        };
    }

    YamlMappingNode Root(string text)
    {
        var stream = new YamlStream();
        try
        {
            if (SpecStructure.FirstProblem(text) is var (line, field, problem))
                throw new SweepSpecException(file, line, field, problem);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new SweepSpecException(file, (int)e.Start.Line, "", $"not valid YAML or JSON: {WithoutLocation(e.Message)}", e);
        }
        if (stream.Documents.Count == 0)
            throw new SweepSpecException(file, 1, "", "the file is empty: expected a mapping with name, data and methods");
        if (stream.Documents.Count > 1)
            throw Error(stream.Documents[1].RootNode, "", "expected one document, found several");
        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw Error(stream.Documents[0].RootNode, "", "expected a mapping with name, data and methods at the top level");
    }

    // YamlDotNet puts the location in front of its messages; ours goes in front of the whole line.
    static string WithoutLocation(string message) => LocationPrefix().Replace(message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex LocationPrefix();

    [GeneratedRegex(@"\A" + SweepSpec.NamePattern + @"\z")]
    private static partial Regex NamePattern();

    string Name(YamlNode node, string field)
    {
        var name = Scalar(node, field);
        return NamePattern().IsMatch(name) ? name : throw Error(node, field, $"'{name}' is not a name of 1 to 100 letters, digits, '.', '_' and '-'");
    }

    SweepModel Model(YamlNode node, string field)
    {
        if (node is not YamlMappingNode)
            return new SweepModel(Scalar(node, field));
        var model = Fields(node, field, new[] { "path", "arch", "input", "mean", "std", "preprocess" });
        var input = model.Optional("input", (n, f) => Numbers(n, f, (item, itemField) => Integer(item, itemField, minimum: 1)));
        if (input is not null && input.Count != 3)
            throw Error(model.Node("input")!, $"{field}.input", $"expected [channels, height, width], got {input.Count} values");
        var mean = model.Optional("mean", (n, f) => Numbers(n, f, Float));
        var std = model.Optional("std", (n, f) => Numbers(n, f, Float));
        if (mean is null != std is null)
            throw Error(node, field, "mean and std must be given together");
        if (std?.Any(s => !(s > 0)) == true)
            throw Error(model.Node("std")!, $"{field}.std", "every std must be positive");
        return new SweepModel(model.Required("path", Scalar), new ModelMetadata
        {
            Architecture = model.Optional("arch", (n, f) => Parsed(n, f, KnownArchitecture)),
            Input = input?.ToArray(),
            Mean = mean?.Select(m => (float)m).ToArray(),
            Std = std?.Select(s => (float)s).ToArray(),
            Preprocess = model.Optional("preprocess", Preprocess),
        });
    }

    ImagePreprocess Preprocess(YamlNode node, string field)
    {
        var sizes = Fields(node, field, new[] { "resize", "crop" });
        var preprocess = new ImagePreprocess(
            sizes.OptionalValue("resize", (n, f) => Integer(n, f, minimum: 1)),
            sizes.OptionalValue("crop", (n, f) => Integer(n, f, minimum: 1)));
        if (preprocess is { Resize: { } resize, Crop: { } crop } && resize < crop)
            throw Error(node, field, $"resize {resize} is smaller than crop {crop}");
        return preprocess;
    }

    static string KnownArchitecture(string name) => ModelLoader.Architectures.Contains(name)
        ? name
        : throw new ArgumentException($"unknown architecture '{name}' (known: {string.Join(", ", ModelLoader.Architectures)})");

    IReadOnlyList<string> MetricList(YamlNode node, string field)
    {
        var metrics = new List<string>();
        var seen = new HashSet<string>();
        foreach (var item in List(node, field))
        {
            var metric = Scalar(item, field);
            if (!MetricCatalog.Names.Contains(metric))
                throw Error(item, field, $"unknown metric '{metric}' (known: {string.Join(", ", MetricCatalog.Names)})");
            if (!seen.Add(metric)) throw Error(item, field, $"metric '{metric}' is listed twice");
            metrics.Add(metric);
        }
        return metrics;
    }

    IReadOnlyList<string> SanityList(YamlNode node, string field)
    {
        var checks = new List<string>();
        var seen = new HashSet<string>();
        foreach (var item in List(node, field))
        {
            var check = Scalar(item, field);
            if (!Sanity.SanityChecks.Names.Contains(check))
                throw Error(item, field, $"unknown sanity check '{check}' (known: {string.Join(", ", Sanity.SanityChecks.Names)})");
            if (!seen.Add(check)) throw Error(item, field, $"sanity check '{check}' is listed twice");
            checks.Add(check);
        }
        return checks;
    }

    sealed record SubstrateLists(IReadOnlyList<Substrate> Deletion, IReadOnlyList<Substrate> Insertion);

    SubstrateLists Substrates(YamlNode node, string field)
    {
        var substrates = Fields(node, field, new[] { DeletionMetric.MetricName, InsertionMetric.MetricName });
        IReadOnlyList<Substrate> Read(YamlNode n, string f)
        {
            var list = new List<Substrate>();
            var seen = new HashSet<Substrate>();
            foreach (var item in List(n, f))
            {
                var substrate = Parsed(item, f, Substrate.Parse);
                if (!seen.Add(substrate)) throw Error(item, f, $"substrate '{substrate}' is listed twice");
                list.Add(substrate);
            }
            return list;
        }
        return new SubstrateLists(substrates.Optional(DeletionMetric.MetricName, Read) ?? [Substrate.Blur], substrates.Optional(InsertionMetric.MetricName, Read) ?? [Substrate.Blur]);
    }

    PassBatch BatchOf(YamlNode node, string field) => Scalar(node, field) == "auto" ? PassBatch.Auto
        : int.TryParse(Scalar(node, field), NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && size >= 1 ? PassBatch.Of(size)
        : throw Error(node, field, $"expected an integer of at least 1 or 'auto', got '{Scalar(node, field)}'");

    ScoreKind ScoreKindOf(YamlNode node, string field) => Parsed(node, field, ScoreKinds.Parse);

    IReadOnlyList<MethodSweep> Methods(YamlNode node, string field, bool sampled)
    {
        var methods = Fields(node, field, MethodCatalog.Names, name => $"unknown method '{name}'");
        if (methods.Count == 0) throw Error(node, field, $"names no method (known: {string.Join(", ", MethodCatalog.Names)})");
        return methods.Select((name, value) => Method(name, value, $"{field}.{name}", sampled)).ToArray();
    }

    MethodSweep Method(string method, YamlNode node, string field, bool sampled)
    {
        var descriptor = MethodCatalog.Get(method);
        var definitions = descriptor.Parameters;
        // `ig:` with nothing after it reads as an empty scalar; it means the same as `ig: {}`.
        var parameters = node is YamlScalarNode { Value: null or "" } && node.Tag.IsEmpty
            ? new List<ParameterSweep>()
            : Fields(node, field, definitions.Select(d => d.Name).ToArray(), name => definitions.Count == 0
                    ? $"{method} takes no parameters, got '{name}'"
                    : $"unknown parameter '{name}' of {method}")
                .Select((name, value) => Parameter(definitions.Single(d => d.Name == name), value, $"{field}.{name}", sampled))
                .ToList();
        foreach (var name in descriptor.AlwaysNamed)
            if (parameters.All(p => p.Name != name))
                parameters.Add(new ParameterSweep(name, new[] { definitions.Single(d => d.Name == name).Default! }));
        var sweep = new MethodSweep(method, parameters);
        if (method == IntegratedGradientsDescriptor.MethodName) RequireTrapezoidSteps(sweep, node, field);
        return sweep;
    }

    ParameterSweep Parameter(ParameterDefinition definition, YamlNode node, string field, bool sampled)
    {
        if (node is YamlMappingNode)
            return new ParameterSweep(definition.Name, Array.Empty<string>(), Range(definition, node, field, sampled));
        var values = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in List(node, field))
        {
            var value = Parsed(item, field, definition.Canonical);
            if (!seen.Add(value)) throw Error(item, field, $"value '{value}' is listed twice");
            values.Add(value);
        }
        return new ParameterSweep(definition.Name, values);
    }

    ParameterRange Range(ParameterDefinition definition, YamlNode node, string field, bool sampled)
    {
        if (!sampled)
            throw Error(node, field, "a range {min, max} needs 'sample: N' at the top level; list the values to sweep a grid");
        if (!definition.TakesRange)
            throw Error(node, field, $"{definition.Name} takes a value or a list of values, not a range");
        var range = Fields(node, field, new[] { "min", "max", "log" });
        double Bound(YamlNode n, string f) => definition.IsInteger
            ? Integer(n, f, minimum: definition.Minimum)
            : Parsed(n, f, text => double.Parse(definition.Canonical(text), CultureInfo.InvariantCulture));
        var (min, max) = (range.Required("min", Bound), range.Required("max", Bound));
        var log = range.OptionalValue("log", Bool) ?? false;
        if (max < min) throw Error(node, field, $"max {max} is below min {min}");
        if (log && !(min > 0)) throw Error(node, field, "a log range needs min above 0");
        return new ParameterRange(min, max, log, definition.IsInteger);
    }

    void RequireTrapezoidSteps(MethodSweep sweep, YamlNode node, string field)
    {
        var rule = sweep.Parameters.Single(p => p.Name == MethodParameters.Rule);
        var steps = sweep.Parameters.Single(p => p.Name == MethodParameters.Steps);
        var oneStep = steps.Values.Contains("1") || steps.Range is { Min: <= 1 };
        if (oneStep && rule.Values.Contains(QuadratureRule.RiemannTrapezoid))
            throw Error(node, $"{field}.{MethodParameters.Steps}", $"{QuadratureRule.RiemannTrapezoid} needs at least 2 steps, and steps may be 1");
    }

    // --- Nodes to values -------------------------------------------------------------------------

    SweepSpecException Error(YamlNode node, string field, string problem, Exception? inner = null) =>
        new(file, (int)node.Start.Line, field, problem, inner);

    string Scalar(YamlNode node, string field) => node switch
    {
        YamlScalarNode { Value: { Length: > 0 } value } => value,
        YamlScalarNode => throw Error(node, field, "expected a value, got nothing"),
        YamlSequenceNode => throw Error(node, field, "expected a single value, got a list"),
        _ => throw Error(node, field, "expected a single value, got a mapping"),
    };

    T Parsed<T>(YamlNode node, string field, Func<string, T> parse)
    {
        var text = Scalar(node, field);
        try { return parse(text); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw Error(node, field, e.Message, e);
        }
    }

    int Integer(YamlNode node, string field, int minimum) =>
        int.TryParse(Scalar(node, field), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw Error(node, field, $"expected an integer of at least {minimum}, got '{Scalar(node, field)}'");

    long Long(YamlNode node, string field) =>
        long.TryParse(Scalar(node, field), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(node, field, $"expected an integer, got '{Scalar(node, field)}'");

    double Float(YamlNode node, string field) =>
        double.TryParse(Scalar(node, field), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Error(node, field, $"expected a number, got '{Scalar(node, field)}'");

    SweepSchedule ScheduleOf(YamlNode node, string field)
    {
        SweepSchedule Kind(YamlNode kind, string f) => Scalar(kind, f) switch
        {
            SweepSchedule.GridKind => SweepSchedule.Grid,
            SweepSchedule.HalvingKind => SweepSchedule.Halving,
            var other => throw Error(kind, f, $"unknown schedule '{other}' (known: {string.Join(", ", SweepSchedule.Kinds)})"),
        };
        if (node is not YamlMappingNode) return Kind(node, field);
        var fields = Fields(node, field, new[] { "kind", "min_images", "reduction", "alpha" });
        var schedule = fields.Required("kind", Kind);
        if (!schedule.IsHalving && fields.Count > 1)
            throw Error(node, field, $"min_images, reduction and alpha belong to schedule '{SweepSchedule.HalvingKind}'");
        return schedule with
        {
            MinImages = fields.OptionalValue("min_images", (n, f) => Integer(n, f, minimum: 1)) ?? schedule.MinImages,
            Reduction = fields.OptionalValue("reduction", (n, f) => Integer(n, f, minimum: 2)) ?? schedule.Reduction,
            Alpha = fields.OptionalValue("alpha", (n, f) => Float(n, f) is var alpha && alpha is > 0 and < 1
                ? alpha : throw Error(n, f, $"expected a probability between 0 and 1, got '{Scalar(n, f)}'")) ?? schedule.Alpha,
        };
    }

    /// <summary>
    /// The curves' step (<c>metric_step</c>) or tolerance (<c>metric_tolerance</c>): one or the other, or neither; with a
    /// tolerance, whether a proxy may score points (<c>metric_proxy</c>).
    /// </summary>
    MetricStep? MetricStepOf(SpecFields top)
    {
        if (top.Has("metric_step") && top.Has("metric_tolerance"))
            throw Error(top.Node("metric_tolerance")!, "metric_tolerance", MetricStep.BothGiven("metric_step", "metric_tolerance"));
        if (top.Has("metric_proxy") && !top.Has("metric_tolerance"))
            throw Error(top.Node("metric_proxy")!, "metric_proxy", MetricStep.ProxyWithoutTolerance("metric_proxy", "metric_tolerance"));
        var proxy = top.OptionalValue("metric_proxy", (node, field) => Parsed(node, field, text => MetricStep.ParseProxy(text, field))) ?? true;
        return top.Optional("metric_tolerance", (node, field) => Parsed(node, field, MetricStep.ParseTolerance))?.WithProxy(proxy)
            ?? top.Optional("metric_step", (node, field) => Parsed(node, field, MetricStep.Parse));
    }

    double PositiveSeconds(YamlNode node, string field) =>
        Float(node, field) is var seconds && seconds > 0
            ? seconds
            : throw Error(node, field, $"expected a number of seconds above 0, got '{Scalar(node, field)}'");

    bool Bool(YamlNode node, string field) => Scalar(node, field) switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        var other => throw Error(node, field, $"expected true or false, got '{other}'"),
    };

    /// <summary>A list's items, or a single value as a list of one; an empty list is an error.</summary>
    IReadOnlyList<YamlNode> List(YamlNode node, string field) => node switch
    {
        YamlSequenceNode { Children.Count: 0 } => throw Error(node, field, "the list is empty"),
        YamlSequenceNode sequence => sequence.Children.ToArray(),
        YamlMappingNode => throw Error(node, field, "expected a value or a list, got a mapping"),
        _ => new[] { node },
    };

    IReadOnlyList<T> Numbers<T>(YamlNode node, string field, Func<YamlNode, string, T> read) =>
        node is YamlSequenceNode
            ? List(node, field).Select(item => read(item, field)).ToArray()
            : throw Error(node, field, "expected a list of numbers");

    /// <summary>A mapping's entries in file order, every key among <paramref name="known"/> and none twice.</summary>
    SpecFields Fields(YamlNode node, string field, IReadOnlyList<string> known, Func<string, string>? unknown = null)
    {
        if (node is not YamlMappingNode mapping)
            throw Error(node, field, field.Length == 0 ? "expected a mapping" : $"expected a mapping of {string.Join(", ", known)}");
        var entries = new List<(string Key, YamlNode KeyNode, YamlNode Value)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } text } ? text : throw Error(keyNode, field, "keys must be plain names");
            var path = field.Length == 0 ? key : $"{field}.{key}";
            if (!known.Contains(key))
                throw Error(keyNode, path, (unknown ?? (k => $"unknown key '{k}'"))(key)
                    + (known.Count == 0 ? "" : $" (known: {string.Join(", ", known)})"));
            if (!seen.Add(key)) throw Error(keyNode, path, $"'{key}' is given twice");
            entries.Add((key, keyNode, value));
        }
        return new SpecFields(this, node, field, entries);
    }

    /// <summary>The checked entries of one mapping, read by name with their field paths.</summary>
    sealed class SpecFields(SweepSpecReader reader, YamlNode mapping, string field, IReadOnlyList<(string Key, YamlNode KeyNode, YamlNode Value)> entries)
    {
        public int Count => entries.Count;

        public bool Has(string key) => entries.Any(e => e.Key == key);

        public YamlNode? Node(string key) => entries.FirstOrDefault(e => e.Key == key).Value;

        string Path(string key) => field.Length == 0 ? key : $"{field}.{key}";

        public T Required<T>(string key, Func<YamlNode, string, T> read) =>
            Node(key) is { } node ? read(node, Path(key)) : throw reader.Error(mapping, Path(key), $"'{key}' is required");

        public T? Optional<T>(string key, Func<YamlNode, string, T> read) where T : class =>
            Node(key) is { } node ? read(node, Path(key)) : null;

        public T? OptionalValue<T>(string key, Func<YamlNode, string, T> read) where T : struct =>
            Node(key) is { } node ? read(node, Path(key)) : null;

        public IEnumerable<T> Select<T>(Func<string, YamlNode, T> read) => entries.Select(e => read(e.Key, e.Value));
    }
}
