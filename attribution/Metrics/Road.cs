using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using Saliency.Attribution.Randomness;
using static TorchSharp.torch;

namespace Saliency.Attribution.Metrics;

/// <summary>One image's ROAD curves: the target's probability at each removal fraction, and their means.</summary>
public sealed record RoadScore(double Morf, double Lerf, double[] MorfCurve, double[] LerfCurve);

/// <summary>
/// ROAD, "remove and debias" (Rong, Leemann, Borisov, Kasneci and Kasneci 2022, "A Consistent and Efficient Evaluation
/// Strategy for Attribution Methods"): at each removal fraction p, the fraction p of the pixels the map ranks most relevant
/// (MoRF) or least relevant (LeRF) is removed and filled by noisy linear imputation (<see cref="LinearImputation"/> plus
/// N(0, <paramref name="noise"/>²) on each removed value), and the model scores the result. Imputing from the neighbours
/// rather than fading to a fixed substrate keeps the shape of the removed region from telling the model what was there.
/// A faithful map makes the MoRF curve fall fast (low mean) and the LeRF curve stay high (high mean).
/// <para>
/// As in the reference (<c>tleemann/road_evaluation</c>): fractions 0.1, 0.2, 0.3, 0.4, 0.5, 0.7 and 0.9, ⌊p·H·W⌋ pixels,
/// noise 0.01 in pixel space, imputation before the model's normalisation, pixels ranked by the map summed over channels.
/// Where this differs: the score is the target's softmax probability per image, not the accuracy over a dataset, so two
/// trials can be compared image by image; ties in the map keep pixel order instead of being broken by a 1e-4 random
/// map; the noise is drawn per image from the sweep's seed, so every trial sees the same; and LeRF at p removes the p least
/// relevant pixels, as the paper defines it, where the reference's <c>remove=False</c> keeps the p most relevant.
/// </para>
/// </summary>
/// <param name="batchSize">Images per forward pass, filled across the images' removal fractions.</param>
public sealed class Road(IReadOnlyList<double>? fractions = null, double noise = Road.DefaultNoise, long seed = 0, int batchSize = CausalMetric.DefaultBatchSize)
{
    public const double DefaultNoise = 0.01;
    public static IReadOnlyList<double> DefaultFractions { get; } = [0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9];

    public IReadOnlyList<double> Fractions { get; } = Checked(fractions ?? DefaultFractions);

    public int BatchSize { get; } = batchSize >= 1 ? batchSize
        : throw new ArgumentOutOfRangeException(nameof(batchSize), $"road's batch size must be at least 1, got {batchSize}");

    /// <summary>
    /// Images whose removals are imputed as one batch of systems and scored together: as many as fill a forward pass, so the
    /// imputation's and the network's per-call costs are paid once per pass rather than once per image.
    /// </summary>
    int ImagesPerGroup => Math.Max(1, BatchSize / (2 * Fractions.Count));

    /// <param name="scored">Called with the number of images scored so far, after each group of images.</param>
    public IReadOnlyList<RoadScore> Score(ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> maps, Action<int>? scored = null)
    {
        if (maps.Count != images.Count) throw new ArgumentException($"road: {maps.Count} maps for {images.Count} images");
        model.RequireInput(images.Shape, images.Source);
        var (height, width) = (images.Shape.Height, images.Shape.Width);
        var counts = Fractions.Select(p => (long)Math.Floor(p * height * width)).ToArray();
        var ranks = maps.Select((map, i) => SaliencyOrder.RanksOf(map, images.Shape, images.Keys[i])).ToArray();
        var results = new RoadScore[images.Count];
        for (var first = 0; first < images.Count; first += ImagesPerGroup)
        {
            var group = Enumerable.Range(first, Math.Min(ImagesPerGroup, images.Count - first)).ToArray();
            var probabilities = GroupProbabilities(model, images, maps, ranks, counts, group);
            foreach (var (i, g) in group.Select((i, g) => (i, g)))
            {
                var rows = probabilities.AsSpan(g * 2 * counts.Length, 2 * counts.Length);
                if (rows.ToArray().Any(double.IsNaN))
                    throw new InvalidDataException($"road: the model's probability for image {images.Keys[i]} is NaN");
                var (morf, lerf) = (rows[..counts.Length].ToArray(), rows[counts.Length..].ToArray());
                results[i] = new RoadScore(morf.Average(), lerf.Average(), morf, lerf);
            }
            scored?.Invoke(first + group.Length);
        }
        return results;
    }

    /// <summary>
    /// The target's probability on every imputed copy of the group's images: per image, its MoRF removals then its LeRF
    /// removals, in the order of <see cref="Fractions"/>. Each image's noise is drawn from its own key, as when scored alone.
    /// </summary>
    double[] GroupProbabilities(ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> maps, int[][] ranks, long[] counts, int[] group)
    {
        var (channels, height, width) = (images.Shape.Channels, images.Shape.Height, images.Shape.Width);
        var plane = height * width;
        var copies = 2 * counts.Length;
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var count = tensor(counts, device: model.Device).view(-1, 1, 1, 1);
        // MoRF removes the first ⌊p·H·W⌋ pixels of the order, LeRF the last; every image's as one batch of masks.
        var removed = cat(group.Select(i =>
        {
            var rank = tensor(ranks[i], device: model.Device).view(1, 1, height, width);
            return cat([rank < count, rank >= plane - count], 0);
        }).ToArray(), 0);
        var pixels = cat(group.Select(i => tensor(images.Image(i).ToArray(), images.Shape.WithBatch(1)).to(float64).to(model.Device)
            .expand(copies, channels, height, width)).ToArray(), 0);
        var imputed = LinearImputation.Impute(pixels, removed);
        var draws = cat(group.Select(i =>
        {
            using var generator = new Generator(StableSeed.For(seed, images.Keys[i], "road"));
            return randn([copies, channels, height, width], float64, generator: generator).to(model.Device);
        }).ToArray(), 0);
        imputed = model.Input(imputed + removed.to(float64) * draws * noise);
        var targets = tensor(group.SelectMany(i => Enumerable.Repeat((long)maps[i].Target, copies)).ToArray(), device: model.Device);
        return ClassScore.InBatches(model, imputed, targets, ScoreKind.Probability, BatchSize);
    }

    static IReadOnlyList<double> Checked(IReadOnlyList<double> fractions)
    {
        if (fractions.Count == 0) throw new ArgumentException("road needs at least one removal fraction");
        foreach (var p in fractions)
            if (!(p > 0 && p < 1)) throw new ArgumentException($"road removal fraction {p} is not between 0 and 1 (both excluded)");
        return fractions;
    }
}
