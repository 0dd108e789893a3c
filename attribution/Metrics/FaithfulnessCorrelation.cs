using MathNet.Numerics.Statistics;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using Saliency.Attribution.Randomness;
using static TorchSharp.torch;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// Faithfulness correlation (Bhatt, Weller and Moura 2020, "Evaluating and aggregating feature-based model
/// explanations"): over <paramref name="runs"/> (100) random subsets of pixel positions (every channel of each), the Pearson
/// correlation between the map's sum over the subset (summed over channels) and the drop of the target's score when the
/// subset is set to black (0 in pixel space). A map whose sums predict what removing the pixels costs scores near 1.
/// As Quantus computes it: 100 subsets of 224 pixels and a black baseline on the model's logit; here the subset is at
/// most a quarter of the image (196 pixels at 28 × 28), the score is the sweep's (<c>score</c>, logit by default), and the
/// subsets are drawn per image from the sweep's seed, so every trial removes the same pixels of the same image.
/// </summary>
public sealed class FaithfulnessCorrelation(ScoreKind score = ScoreKind.Logit, long seed = 0, int runs = FaithfulnessCorrelation.DefaultRuns, int batchSize = 256)
{
    public const int DefaultRuns = 100;
    public const int SubsetPixels = 224;

    /// <summary>The subset size for images of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public static int SubsetFor(int height, int width) => Math.Max(1, Math.Min(SubsetPixels, height * width / 4));

    /// <returns>Per image the correlation; 0 where the map's subset sums or the score drops do not vary.</returns>
    public double[] Score(ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> maps, Action<int>? scored = null)
    {
        if (maps.Count != images.Count) throw new ArgumentException($"faithfulness correlation: {maps.Count} maps for {images.Count} images");
        model.RequireInput(images.Shape, images.Source);
        var (channels, height, width) = (images.Shape.Channels, images.Shape.Height, images.Shape.Width);
        var plane = height * width;
        var subset = SubsetFor(height, width);
        var results = new double[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            var random = StableSeed.Random(seed, images.Keys[i], "faithfulness-correlation");
            var pixelMap = new double[plane];
            var map = maps[i].Map;
            for (var c = 0; c < channels; c++)
                for (var p = 0; p < plane; p++) pixelMap[p] += map[c * plane + p];

            var keep = new float[runs * plane];
            var sums = new double[runs];
            var order = Enumerable.Range(0, plane).ToArray();
            for (var r = 0; r < runs; r++)
            {
                Array.Fill(keep, 1f, r * plane, plane);
                random.Shuffle(order);
                for (var k = 0; k < subset; k++)
                {
                    keep[r * plane + order[k]] = 0;
                    sums[r] += pixelMap[order[k]];
                }
            }
            var drops = ScoreDrops.Of(model, images, i, maps[i].Target, score, runs, batchSize, (image, start, count) =>
                image * model.Input(tensor(keep.AsSpan(start * plane, count * plane).ToArray(), [count, 1, height, width])));
            results[i] = Varies(sums) && Varies(drops) ? Correlation.Pearson(sums, drops) : 0;
            scored?.Invoke(i + 1);
        }
        return results;
    }

    static bool Varies(double[] values) => values.Any(v => v != values[0]);
}
