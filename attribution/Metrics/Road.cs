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
public sealed class Road(IReadOnlyList<double>? fractions = null, double noise = Road.DefaultNoise, long seed = 0)
{
    public const double DefaultNoise = 0.01;
    public static IReadOnlyList<double> DefaultFractions { get; } = [0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9];

    public IReadOnlyList<double> Fractions { get; } = Checked(fractions ?? DefaultFractions);

    /// <param name="scored">Called with the number of images scored so far, after each image.</param>
    public IReadOnlyList<RoadScore> Score(ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> maps, Action<int>? scored = null)
    {
        if (maps.Count != images.Count) throw new ArgumentException($"road: {maps.Count} maps for {images.Count} images");
        model.RequireInput(images.Shape, images.Source);
        var (channels, height, width) = (images.Shape.Channels, images.Shape.Height, images.Shape.Width);
        var plane = height * width;
        var counts = Fractions.Select(p => (long)Math.Floor(p * plane)).ToArray();
        var results = new RoadScore[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var rank = tensor(SaliencyOrder.Ranks(SaliencyOrder.Descending(maps[i], images.Shape, images.Keys[i])), device: model.Device)
                .view(1, 1, height, width);
            var count = tensor(counts, device: model.Device).view(-1, 1, 1, 1);
            // MoRF removes the first ⌊p·H·W⌋ pixels of the order, LeRF the last; both as one batch of masks.
            var removed = cat([rank < count, rank >= plane - count], 0);
            var image = tensor(images.Image(i).ToArray(), images.Shape.WithBatch(1)).to(float64).to(model.Device);
            var imputed = LinearImputation.Impute(image.expand(removed.shape[0], channels, height, width), removed);
            using (var generator = new Generator(StableSeed.For(seed, images.Keys[i], "road")))
            {
                var draws = randn([removed.shape[0], channels, height, width], float64, generator: generator).to(model.Device);
                imputed = imputed + removed.to(float64) * draws * noise;
            }
            var targets = full(removed.shape[0], maps[i].Target, ScalarType.Int64, model.Device);
            var probabilities = ClassScore.Of(model, model.Input(imputed), targets, ScoreKind.Probability).to(float64).cpu().data<double>().ToArray();
            var (morf, lerf) = (probabilities[..counts.Length], probabilities[counts.Length..]);
            if (probabilities.Any(double.IsNaN))
                throw new InvalidDataException($"road: the model's probability for image {images.Keys[i]} is NaN");
            results[i] = new RoadScore(morf.Average(), lerf.Average(), morf, lerf);
            scored?.Invoke(i + 1);
        }
        return results;
    }

    static IReadOnlyList<double> Checked(IReadOnlyList<double> fractions)
    {
        if (fractions.Count == 0) throw new ArgumentException("road needs at least one removal fraction");
        foreach (var p in fractions)
            if (!(p > 0 && p < 1)) throw new ArgumentException($"road removal fraction {p} is not between 0 and 1 (both excluded)");
        return fractions;
    }
}
