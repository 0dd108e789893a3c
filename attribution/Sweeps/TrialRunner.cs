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
        var batch = spec.Batch ?? ActivationMemory.BatchFor(model, images.Shape, batchMemoryBytes);
        var method = TrialMethod.Create(trial, spec, references, batch);
        IReadOnlyList<ImageAttribution> attributions;
        using (var span = AttributionTelemetry.Source.StartActivity($"attribute {trial.Method}"))
        {
            span?.SetTag("saliency.trial", trial.Label);
            span?.SetTag("saliency.images", images.Count);
            attributions = method.Attribute(model, images, spec.Target);
            for (var i = 0; i < attributions.Count; i++) RequireFinite(trial, attributions[i]);
        }
        double[]? randomLogit = null;
        if (spec.Sanity.Contains(SanityChecks.RandomLogitName))
        {
            using var span = AttributionTelemetry.Source.StartActivity("sanity check random-logit");
            randomLogit = SanityChecks.RandomLogit(method, model, images, attributions, spec.Seed);
        }
        var phases = 1 + (spec.Measures(SweepSpec.Deletion) ? spec.DeletionSubstrates.Count : 0)
            + (spec.Measures(SweepSpec.Insertion) ? spec.InsertionSubstrates.Count : 0)
            + (spec.Measures(SweepSpec.FaithfulnessCorrelation) ? 1 : 0) + (spec.Measures(SweepSpec.Road) ? 1 : 0);
        var phase = 1;
        progress?.Invoke(images.Count / (double)phases);
        Action<int>? Scored(int at) => progress is null ? null : scored => progress(images.Count * (at + scored / (double)images.Count) / phases);

        IReadOnlyList<CurveScore>[]? Curves(string metric, IReadOnlyList<Substrate> substrates, Func<Substrate, CausalMetric> create) =>
            spec.Measures(metric) ? substrates.Select(s => Score(trial, create(s), images, attributions, Scored(phase++))).ToArray() : null;
        var deletions = Curves(SweepSpec.Deletion, spec.DeletionSubstrates, s => CausalMetric.Deletion(s, spec.MetricStep, batch));
        var insertions = Curves(SweepSpec.Insertion, spec.InsertionSubstrates, s => CausalMetric.Insertion(s, spec.MetricStep, batch));
        IReadOnlyDictionary<string, double>? OtherSubstrates(int i)
        {
            var others = new Dictionary<string, double>();
            for (var s = 1; s < (deletions?.Length ?? 0); s++) others[MetricNames.OfSubstrate(true, spec.DeletionSubstrates[s])] = deletions![s][i].Auc;
            for (var s = 1; s < (insertions?.Length ?? 0); s++) others[MetricNames.OfSubstrate(false, spec.InsertionSubstrates[s])] = insertions![s][i].Auc;
            return others.Count > 0 ? others : null;
        }
        var correlation = spec.Measures(SweepSpec.FaithfulnessCorrelation)
            ? new FaithfulnessCorrelation(spec.Score, spec.Seed, batchSize: batch).Score(model, images, attributions, Scored(phase++)) : null;
        var infidelity = spec.Measures(SweepSpec.Infidelity)
            ? new Infidelity(spec.Score, spec.Seed, normalise: true).Score(model, images, attributions) : null;
        var sensitivity = spec.Measures(SweepSpec.MaxSensitivity)
            ? new MaxSensitivity(spec.Seed).Score(method, model, images, attributions) : null;
        var road = spec.Measures(SweepSpec.Road) ? new Road(seed: spec.Seed).Score(model, images, attributions, Scored(phase++)) : null;
        var completeness = spec.Measures(SweepSpec.Completeness);
        var (sparseness, complexity) = (spec.Measures(SweepSpec.Sparseness), spec.Measures(SweepSpec.Complexity));

        var outcomes = attributions.Select((a, i) => new ImageOutcome(
            a.Key,
            images.Labels[i],
            a.Target,
            a.Score,
            a.Completeness?.BaselineScore,
            a.Completeness?.AttributionSum ?? SumOf(a.Map),
            completeness ? a.Completeness?.Delta : null,
            completeness ? a.Completeness?.RelativeDelta(a.Score) : null,
            deletions?[0][i].Auc,
            insertions?[0][i].Auc,
            a.Steps,
            a.Seconds,
            sparseness ? MapStatistics.Sparseness(a.Map) : null,
            complexity ? MapStatistics.Complexity(a.Map) : null,
            null,
            randomLogit?[i],
            correlation?[i],
            infidelity?[i],
            sensitivity?[i],
            road?[i].Morf,
            road?[i].Lerf,
            OtherSubstrates(i))).ToArray();
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
        var batch = spec.Batch ?? ActivationMemory.BatchFor(model, images.Shape, batchMemoryBytes);
        var method = TrialMethod.Create(trial, spec, references, batch);
        var original = images.Count == 0 ? [] : method.Attribute(model, images, spec.Target);
        progress?.Invoke(images.Count / 2.0);
        var rhos = images.Count == 0 ? []
            : SanityChecks.RandomisationStep(method, copyModel ?? (() => spec.Model.Load(model.ComputeDevice)), steps, images, original, spec.Seed, step);
        var outcomes = original.Select((a, i) => new ImageOutcome(
            a.Key, images.Labels[i], a.Target, a.Score, null, SumOf(a.Map), null, null, null, null, a.Steps, a.Seconds,
            ModelRandomisation: [rhos[i]])).ToArray();
        return new ShardOutcome(trial.Index, shard, outcomes, [], clock.Elapsed.TotalSeconds, skipped ?? [], RandomisedLayers: cascade, Part: step);
    }

    IReadOnlyList<CurveScore> Score(Trial trial, CausalMetric metric, ImageSet images, IReadOnlyList<ImageAttribution> maps, Action<int>? scored)
    {
        using var span = AttributionTelemetry.Source.StartActivity($"score {metric.Name}");
        try { return metric.Score(model, images, maps, scored); }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException($"{e.Message} in trial {trial.Label}", e);
        }
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
        Require(trial, outcome.Key, "completeness delta", outcome.Delta);
        Require(trial, outcome.Key, "relative completeness delta", outcome.RelativeDelta);
        Require(trial, outcome.Key, "deletion AUC", outcome.DeletionAuc);
        Require(trial, outcome.Key, "insertion AUC", outcome.InsertionAuc);
        Require(trial, outcome.Key, "sparseness", outcome.Sparseness);
        Require(trial, outcome.Key, "complexity", outcome.Complexity);
        Require(trial, outcome.Key, "faithfulness correlation", outcome.FaithfulnessCorrelation);
        Require(trial, outcome.Key, "infidelity", outcome.Infidelity);
        Require(trial, outcome.Key, "max-sensitivity", outcome.MaxSensitivity);
        Require(trial, outcome.Key, "ROAD MoRF", outcome.RoadMorf);
        Require(trial, outcome.Key, "ROAD LeRF", outcome.RoadLerf);
        foreach (var (column, auc) in outcome.OtherSubstrates ?? new Dictionary<string, double>()) Require(trial, outcome.Key, column, auc);
    }

    static void Require(Trial trial, int key, string what, double? value)
    {
        if (value is { } v && !double.IsFinite(v))
            throw new InvalidOperationException($"{what} is {v.ToString(CultureInfo.InvariantCulture)} for image {key} in trial {trial.Label}");
    }
}
