using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// One image's deletion or insertion curve and its area under the curve (trapezoid rule over [0, 1]).
/// </summary>
/// <param name="Curve">The target's probability at each scored point, in the order of <paramref name="Fractions"/>.</param>
/// <param name="Fractions">
/// Where each point lies on [0, 1]: k / K after k of the curve's K steps. Every step's with a fixed step; with a tolerance,
/// the one-row steps the estimate scored.
/// </param>
/// <param name="Passes">Forward passes of one image the curve took on the model: the points it scored.</param>
/// <param name="ErrorEstimate">
/// With a tolerance, the bound on the AUC's error against the row-step curve (<see cref="AdaptiveCurve.ErrorEstimate"/>,
/// <see cref="ProxiedCurve.ErrorEstimate"/>); 0 when every step is scored.
/// </param>
/// <param name="ProxyPasses">Forward passes of one image on the model's cheaper proxy (<see cref="ProxiedCurve"/>); 0 without one.</param>
public sealed record CurveScore(double Auc, double[] Curve, double[] Fractions, int Passes, double ErrorEstimate, int ProxyPasses = 0);

/// <summary>
/// The target's probability on each image as it is and on its substrate: the two ends that an image's deletion and insertion
/// curves on that substrate share, so they are scored once for both.
/// </summary>
public sealed record CurveEnds(double[] Input, double[] Substrate);

/// <summary>
/// Deletion and insertion (Petsiuk, Das and Saenko 2018, "RISE"): pixels are ordered by descending
/// saliency (summed over channels); at each step the next <c>step</c> pixels, all channels, are copied
/// from the finish image into the current one. Deletion runs from the input to the substrate, insertion
/// from the substrate to the input. The curve is the softmax probability of the class the map explains,
/// from the start image to the finish; its area is taken by the trapezoid rule over [0, 1], over every step or, with a
/// tolerance, over the steps <see cref="AdaptiveCurve"/> chooses.
/// A faithful map makes deletion fall fast (low AUC) and insertion rise fast (high AUC).
/// </summary>
public sealed class CausalMetric
{
    CausalMetric(bool deletes, Substrate substrate, MetricStep? step, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"metric batch size must be at least 1, got {batchSize}");
        Deletes = deletes;
        Substrate = substrate;
        Step = step;
        BatchSize = batchSize;
    }

    /// <summary>
    /// Curve points per forward pass by default: a method's default batch. Larger passes are slower per image on the CPU at
    /// 224 × 224 (ResNet-18, 2 threads: 59 images/s at 64, 38 at 256) and hold more memory (a process peak of 5.0 GiB at 256, 2.5 at 64).
    /// </summary>
    public const int DefaultBatchSize = 64;

    public static CausalMetric Deletion(Substrate? substrate = null, MetricStep? step = null, int batchSize = DefaultBatchSize) =>
        new(true, substrate ?? Substrate.Blur, step, batchSize);

    public static CausalMetric Insertion(Substrate? substrate = null, MetricStep? step = null, int batchSize = DefaultBatchSize) =>
        new(false, substrate ?? Substrate.Blur, step, batchSize);

    public bool Deletes { get; }
    public string Name => Deletes ? "deletion" : "insertion";
    public Substrate Substrate { get; }
    /// <summary>Pixels moved per step; by default one image row, as RISE moves 224 pixels of 224×224 images.</summary>
    public MetricStep? Step { get; }
    public int BatchSize { get; }

    /// <summary>The AUC error, against the row-step curve, the curve is estimated to; null when every step is scored.</summary>
    public double? Tolerance => Step?.Tolerance;

    /// <summary>
    /// The curves of every image, their points scored <see cref="BatchSize"/> at a time across the images, so a pass is full
    /// whatever each image's curve still needs, and forward-only under inference mode.
    /// </summary>
    /// <param name="scored">Called with the number of images scored so far, each time an image's curve is done.</param>
    /// <param name="ends">The curves' ends when already scored (<see cref="Ends"/>); scored here otherwise.</param>
    /// <param name="proxy">
    /// A cheaper copy of the model (<see cref="ProxyPrecision"/>) that scores most of each curve's points when there is a
    /// tolerance that allows one (<see cref="MetricStep.Proxy"/>, <see cref="ProxiedCurve"/>) and the curve is longer than
    /// the coarse round; otherwise every point is the model's.
    /// </param>
    public IReadOnlyList<CurveScore> Score(ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> maps, Action<int>? scored = null,
        CurveEnds? ends = null, ImageClassifier? proxy = null)
    {
        if (maps.Count != images.Count)
            throw new ArgumentException($"{Name}: {maps.Count} maps for {images.Count} images");
        model.RequireInput(images.Shape, images.Source);
        var (height, width) = (images.Shape.Height, images.Shape.Width);
        var step = MetricStep.Resolve(Step, height, width);
        var steps = StepsOf(images.Shape);
        var ranks = maps.Select((map, i) => SaliencyOrder.RanksOf(map, images.Shape, images.Keys[i])).ToArray();
        var results = new CurveScore[images.Count];
        if (images.Count == 0) return results;
        if (!TakesProxy(images.Shape)) proxy = null;
        if (proxy is not null) ends ??= Ends(model, images, maps, Substrate, BatchSize);
        if (ends is not null && (ends.Input.Length != images.Count || ends.Substrate.Length != images.Count))
            throw new ArgumentException($"{Name}: curve ends for {ends.Input.Length} and {ends.Substrate.Length} images, not {images.Count}");
        var curves = new CurvePoints[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            double[]? known = ends is null ? null : [Deletes ? ends.Input[i] : ends.Substrate[i], Deletes ? ends.Substrate[i] : ends.Input[i]];
            if (known is not null && Array.FindIndex(known, double.IsNaN) is var nan and >= 0)
                throw new InvalidDataException($"{Name}: the model's probability for image {images.Keys[i]} is NaN at step {nan * steps} of {steps}");
            curves[i] = CurvePoints.For(steps, Tolerance, known, proxy is not null);
        }

        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var inputs = model.Input(images.ToTensor());
        var substrate = Substrate.Create(inputs, model);
        var (starts, finishes) = Deletes ? (inputs, substrate) : (substrate, inputs);
        // The proxy's images and substrate are its own, made in its type as it would make them alone.
        var (proxyStarts, proxyFinishes) = (starts, finishes);
        if (proxy is not null)
        {
            var proxyInputs = proxy.Input(images.ToTensor());
            var proxySubstrate = Substrate.Create(proxyInputs, proxy);
            (proxyStarts, proxyFinishes) = Deletes ? (proxyInputs, proxySubstrate) : (proxySubstrate, proxyInputs);
        }
        var rank = cat(ranks.Select(r => tensor(r, device: model.Device).view(1, 1, height, width)).ToArray(), 0);

        // One queue per scorer, so that a pass holds one type; the fuller goes first, to keep passes full.
        var queues = new[] { new Queue<(int Image, int Index)>(), new Queue<(int Image, int Index)>() };
        var awaited = new int[images.Count];
        var done = 0;
        void NextRound(int image)
        {
            var round = curves[image].NextRound();
            awaited[image] = round.Count;
            foreach (var (index, byProxy) in round) queues[byProxy ? 1 : 0].Enqueue((image, index));
            if (round.Count > 0) return;
            results[image] = curves[image].Result();
            scored?.Invoke(++done);
        }
        for (var i = 0; i < images.Count; i++) NextRound(i);
        while (queues.Any(q => q.Count > 0))
        {
            var byProxy = queues[1].Count > queues[0].Count;
            var queue = queues[byProxy ? 1 : 0];
            var points = new (int Image, int Index)[Math.Min(BatchSize, queue.Count)];
            for (var p = 0; p < points.Length; p++) points[p] = queue.Dequeue();
            var probabilities = byProxy
                ? Probabilities(proxy!, rank, proxyStarts, proxyFinishes, points, step, maps)
                : Probabilities(model, rank, starts, finishes, points, step, maps);
            for (var p = 0; p < points.Length; p++)
            {
                var (image, index) = points[p];
                if (double.IsNaN(probabilities[p]))
                    throw new InvalidDataException($"{Name}: the {(byProxy ? "model's proxy's" : "model's")} probability for image {images.Keys[image]} is NaN at step {index} of {steps}");
                curves[image].Record(index, byProxy, probabilities[p]);
                if (--awaited[image] == 0) NextRound(image);
            }
        }
        return results;
    }

    /// <summary>
    /// Whether curves of images of <paramref name="shape"/> are scored through a proxy when given one: with a tolerance that
    /// allows it, and more steps than the coarse round. A shorter curve is scored whole, exactly, where a proxy could only
    /// add error (28 × 28 images: 28 rows), so no proxy need be made for it.
    /// </summary>
    public bool TakesProxy(ImageShape shape) => Step is { Tolerance: not null, Proxy: true } && StepsOf(shape) > AdaptiveCurve.DefaultCoarseIntervals;

    /// <summary>K: the steps of a curve over images of <paramref name="shape"/>, the last one moving what is left.</summary>
    int StepsOf(ImageShape shape)
    {
        var step = MetricStep.Resolve(Step, shape.Height, shape.Width);
        return (shape.Height * shape.Width + step - 1) / step;
    }

    /// <summary>The target's probability on every image and on its <paramref name="substrate"/>, forward-only, in passes of <paramref name="batchSize"/>.</summary>
    public static CurveEnds Ends(ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> maps, Substrate substrate, int batchSize = DefaultBatchSize)
    {
        if (maps.Count != images.Count) throw new ArgumentException($"curve ends: {maps.Count} maps for {images.Count} images");
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var inputs = model.Input(images.ToTensor());
        var targets = tensor(maps.Select(m => (long)m.Target).ToArray(), device: model.Device);
        return new CurveEnds(ClassScore.InBatches(model, inputs, targets, ScoreKind.Probability, batchSize),
            ClassScore.InBatches(model, substrate.Create(inputs, model), targets, ScoreKind.Probability, batchSize));
    }

    /// <summary>
    /// The target's probability at each point (image i, step k): image i with the pixels whose saliency rank is below k·step
    /// taken from its finish image, the others from its start.
    /// </summary>
    static double[] Probabilities(ImageClassifier model, Tensor rank, Tensor starts, Tensor finishes, (int Image, int Index)[] points, int step,
        IReadOnlyList<ImageAttribution> maps)
    {
        using var scope = NewDisposeScope();
        var which = tensor(points.Select(p => (long)p.Image).ToArray(), device: model.Device);
        var thresholds = tensor(points.Select(p => (int)Math.Min((long)p.Index * step, int.MaxValue)).ToArray(), device: model.Device).view(-1, 1, 1, 1);
        var moved = rank.index_select(0, which) < thresholds;
        // Channels-last, as the network's convolution weights are laid out: forward-only passes of a ResNet-18 at 224 × 224 ran
        // 1.2 × as fast so (bench metrics, 2026-12-07), the input no longer reordered by the first convolution.
        var batch = where(moved, finishes.index_select(0, which), starts.index_select(0, which)).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        var targets = tensor(points.Select(p => (long)maps[p.Image].Target).ToArray(), device: model.Device);
        return ClassScore.Of(model, model.Input(batch), targets, ScoreKind.Probability).to(ScalarType.Float64).ToHostArray<double>();
    }

    /// <summary>Trapezoid rule over [0, 1] with equally spaced points: (Σ − first/2 − last/2) / (n − 1).</summary>
    public static double Trapezoid(IReadOnlyList<double> curve) =>
        curve.Count < 2 ? (curve.Count == 0 ? 0 : curve[0]) : (curve.Sum() - curve[0] / 2 - curve[^1] / 2) / (curve.Count - 1);
}

