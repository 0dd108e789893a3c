using System.Diagnostics;
using System.Globalization;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sanity;
using Saliency.Attribution.Telemetry;
using static TorchSharp.torch;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// Runs one trial of a sweep on one shard of its images: attributes them with the trial's method and
/// measures the sweep's metrics. The work is synchronous on the calling thread, because TorchSharp's
/// dispose scopes belong to a thread. Every random draw is seeded by the sweep's seed and the image's key,
/// so an image's outcome does not depend on which shard, batch or machine computes it.
/// </summary>
/// <param name="references">Where <c>expected:K</c> baselines draw their references (the training data).</param>
/// <param name="batchMemoryBytes">The activation memory a pass may take when the spec says <c>batch: auto</c>.</param>
/// <param name="copyModel">A fresh copy of the model for the model-randomisation check; the spec's model loaded again when null.</param>
public sealed class TrialRunner(SweepSpec spec, ImageClassifier model, Func<ImageCatalog> references, long batchMemoryBytes = TrialRunner.DefaultBatchMemoryBytes,
    Func<ImageClassifier>? copyModel = null)
{
    public const long DefaultBatchMemoryBytes = 256L << 20;

    /// <param name="keysWithMaps">
    /// Keys of the images whose maps are kept (<see cref="SweepSpec.KeysWithMaps"/>): a set of keys rather
    /// than a count, so the same images keep their maps however the sweep is sharded.
    /// </param>
    /// <param name="skipped">Images of the shard left out because they could not be read; they travel with the outcome.</param>
    /// <param name="progress">
    /// Called as the work goes on with the images' worth of it done so far: attribution, then each metric, count as equal
    /// parts, and each metric moves image by image, so a long work item shows how far it has come.
    /// </param>
    /// <param name="part">
    /// 0 for the trial's own work; k ≥ 1 for step k of the model-randomisation cascade (<see cref="SanityChecks.RandomisationStep"/>).
    /// </param>
    /// <exception cref="InvalidOperationException">A score, map value, delta or AUC is NaN or infinite.</exception>
    public ShardOutcome Run(Trial trial, int shard, ImageSet images, IReadOnlySet<int> keysWithMaps, IReadOnlyList<SkippedImage>? skipped = null,
        Action<double>? progress = null, int part = 0)
    {
        if (part > 0) return RandomisationStep(trial, shard, images, skipped, progress, part);
        var clock = Stopwatch.StartNew();
        if (images.Count == 0) return new ShardOutcome(trial.Index, shard, [], [], 0, skipped ?? []);
        using var scope = NewDisposeScope();
        var batch = spec.Batch.For(model, images.Shape, batchMemoryBytes);
        var method = TrialMethod.Create(trial, spec, references, batch);
        IReadOnlyList<ImageAttribution> attributions;
        using (var span = AttributionTelemetry.Source.StartActivity($"attribute {trial.Method}"))
        {
            span?.SetTag("saliency.trial", trial.Label);
            span?.SetTag("saliency.images", images.Count);
            attributions = method.Attribute(model, images, spec.Target);
            for (var i = 0; i < attributions.Count; i++) RequireFinite(trial, attributions[i]);
        }
        var judging = new ImageJudging(spec.Judging with { Batch = batch }, model, images, attributions, method)
        {
            ModelCopy = copyModel ?? (() => spec.Model.Load(model.ComputeDevice)),
        };
        if (spec.Sanity.Contains(SanityChecks.RandomLogitName))
        {
            using var span = AttributionTelemetry.Source.StartActivity("sanity check random-logit");
            var rhos = SanityChecks.RandomLogit(method, model, images, attributions, spec.Seed);
            for (var i = 0; i < rhos.Length; i++) judging.Record(i, MetricNames.RandomLogit, rhos[i]);
        }
        Measure(trial, judging, progress);

        var outcomes = attributions.Select((a, i) => new ImageOutcome(
            a.Key, images.Labels[i], a.Target, a.Score, a.Completeness?.BaselineScore, a.Completeness?.AttributionSum ?? SumOf(a.Map),
            a.Steps, a.Seconds, judging.ValuesOf(i).ToDictionary(), Curves: judging.CurvesOf(i) is { Count: > 0 } curves ? curves.ToDictionary() : null)).ToArray();
        foreach (var outcome in outcomes) RequireFinite(trial, outcome);

        var shape = images.Shape;
        var maps = attributions.Where(a => keysWithMaps.Contains(a.Key))
            .Select(a => new SampledMap(a.Key, shape.Channels, shape.Height, shape.Width, a.Map)).ToArray();
        return new ShardOutcome(trial.Index, shard, outcomes, maps, clock.Elapsed.TotalSeconds, skipped ?? []);
    }

    /// <summary>
    /// Step <paramref name="step"/> of the model-randomisation cascade on the shard: the trial's maps on the model, again on a
    /// copy with the cascade's first steps re-drawn, and Spearman's ρ between them per image. The maps are computed again
    /// here rather than sent from the trial's own work item, so each step is a work item that any worker can take alone.
    /// </summary>
    ShardOutcome RandomisationStep(Trial trial, int shard, ImageSet images, IReadOnlyList<SkippedImage>? skipped, Action<double>? progress, int step)
    {
        var clock = Stopwatch.StartNew();
        if (!spec.Sanity.Contains(SanityChecks.ModelRandomisationName))
            throw new ArgumentException($"work item part {step} of trial {trial.Label} is a model-randomisation step, which sweep '{spec.Name}' does not ask for");
        // A model with a shorter cascade has no such step: done at once, before any map is computed.
        var steps = ModelRandomisation.Layers(model.Network);
        var cascade = steps.Select(ModelRandomisation.NameOf).ToList();
        if (step > steps.Count) return new ShardOutcome(trial.Index, shard, [], [], 0, skipped ?? [], RandomisedLayers: cascade, Part: step);
        using var scope = NewDisposeScope();
        using var span = AttributionTelemetry.Source.StartActivity($"sanity check model-randomisation step {step}");
        span?.SetTag("saliency.trial", trial.Label);
        var batch = spec.Batch.For(model, images.Shape, batchMemoryBytes);
        var method = TrialMethod.Create(trial, spec, references, batch);
        var original = images.Count == 0 ? [] : method.Attribute(model, images, spec.Target);
        progress?.Invoke(images.Count / 2.0);
        var rhos = images.Count == 0 ? []
            : SanityChecks.RandomisationStep(method, copyModel ?? (() => spec.Model.Load(model.ComputeDevice)), steps, images, original, spec.Seed, step);
        var outcomes = original.Select((a, i) => new ImageOutcome(
            a.Key, images.Labels[i], a.Target, a.Score, null, SumOf(a.Map), a.Steps, a.Seconds, ModelRandomisation: [rhos[i]])).ToArray();
        return new ShardOutcome(trial.Index, shard, outcomes, [], clock.Elapsed.TotalSeconds, skipped ?? [], RandomisedLayers: cascade, Part: step);
    }

    void Measure(Trial trial, ImageJudging judging, Action<double>? progress)
    {
        try { judging.Measure(spec.MetricDescriptors, progress); }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"{e.Message} in trial {trial.Label}", e); }
    }

    static void RequireFinite(Trial trial, ImageAttribution attribution)
    {
        Require(trial, attribution.Key, "model output", attribution.Score);
        if (attribution.Completeness is { } completeness)
            Require(trial, attribution.Key, "model output on the baseline", completeness.BaselineScore);
        var map = attribution.Map;
        for (var i = 0; i < map.Length; i++)
            if (!float.IsFinite(map[i]))
                Require(trial, attribution.Key, $"attribution map value {i}", map[i]);
    }

    /// <summary>The sum in double precision, in order: a plain loop, because a sweep sums every map it computes.</summary>
    static double SumOf(float[] values)
    {
        var sum = 0.0;
        foreach (var value in values) sum += value;
        return sum;
    }

    static void RequireFinite(Trial trial, ImageOutcome outcome)
    {
        Require(trial, outcome.Key, "the sum of attributions", outcome.AttributionSum);
        foreach (var (column, value) in outcome.Metrics ?? new Dictionary<string, double>()) Require(trial, outcome.Key, column, value);
    }

    static void Require(Trial trial, int key, string what, double? value)
    {
        if (value is { } v && !double.IsFinite(v))
            throw new InvalidOperationException($"{what} is {v.ToString(CultureInfo.InvariantCulture)} for image {key} in trial {trial.Label}");
    }
}
