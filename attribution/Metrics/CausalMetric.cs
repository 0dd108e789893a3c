using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Metrics;

/// <summary>One image's curve of target probabilities and its area under the curve.</summary>
public sealed record CurveScore(double Auc, double[] Curve);

/// <summary>
/// Deletion and insertion (Petsiuk, Das and Saenko 2018, "RISE"): pixels are ordered by descending
/// saliency (summed over channels); at each step the next <c>step</c> pixels, all channels, are copied
/// from the finish image into the current one. Deletion runs from the input to the substrate, insertion
/// from the substrate to the input. The curve is the softmax probability of the class the map explains,
/// from the start image to the finish; its area is taken by the trapezoid rule over [0, 1].
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

    /// <param name="scored">Called with the number of images scored so far, after each image.</param>
    public IReadOnlyList<CurveScore> Score(ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> maps, Action<int>? scored = null)
    {
        if (maps.Count != images.Count)
            throw new ArgumentException($"{Name}: {maps.Count} maps for {images.Count} images");
        model.RequireInput(images.Shape, images.Source);
        var (channels, height, width) = (images.Shape.Channels, images.Shape.Height, images.Shape.Width);
        var plane = height * width;
        var step = MetricStep.Resolve(Step, height, width);
        var steps = (plane + step - 1) / step;

        using var scope = NewDisposeScope();
        var inputs = model.Input(images.ToTensor());
        var substrate = Substrate.Create(inputs, model);
        var (starts, finishes) = Deletes ? (inputs, substrate) : (substrate, inputs);

        var results = new CurveScore[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            using var imageScope = NewDisposeScope();
            var order = SaliencyOrder.Descending(maps[i], images.Shape, images.Keys[i]);
            var rank = SaliencyOrder.Ranks(order);
            var curve = Curve(model, tensor(rank, device: model.Device).view(1, 1, height, width), starts[i], finishes[i], steps, step, maps[i].Target);
            var nan = Array.FindIndex(curve, double.IsNaN);
            if (nan >= 0)
                throw new InvalidDataException($"{Name}: the model's probability for image {images.Keys[i]} is NaN at step {nan} of {steps}");
            results[i] = new CurveScore(Trapezoid(curve), curve);
            scored?.Invoke(i + 1);
        }
        return results;
    }

    /// <summary>
    /// The target's probability on the image after k = 0..steps steps, where a pixel shows the finish
    /// image once its saliency rank is below k·step. Images are made per batch, so memory stays bounded.
    /// </summary>
    double[] Curve(ImageClassifier model, Tensor rank, Tensor start, Tensor finish, int steps, int step, int target)
    {
        using var noGrad = no_grad();
        var probabilities = new List<double>();
        for (long first = 0; first <= steps; first += BatchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(BatchSize, steps + 1 - first);
            var moved = rank < (arange(first, first + count, ScalarType.Int64, rank.device) * step).view(-1, 1, 1, 1);
            var batch = where(moved, finish.unsqueeze(0), start.unsqueeze(0));
            var scores = ClassScore.Of(model, batch, full(count, target, ScalarType.Int64, rank.device), ScoreKind.Probability);
            probabilities.AddRange(scores.to(ScalarType.Float64).ToHostArray<double>());
        }
        return probabilities.ToArray();
    }

    /// <summary>Trapezoid rule over [0, 1] with equally spaced points: (Σ − first/2 − last/2) / (n − 1).</summary>
    public static double Trapezoid(IReadOnlyList<double> curve) =>
        curve.Count < 2 ? (curve.Count == 0 ? 0 : curve[0]) : (curve.Sum() - curve[0] / 2 - curve[^1] / 2) / (curve.Count - 1);
}
