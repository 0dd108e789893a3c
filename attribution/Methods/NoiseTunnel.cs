using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Randomness;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>How <see cref="NoiseTunnel"/> combines the maps of the noisy copies.</summary>
public enum NoiseAggregation
{
    /// <summary>Mean of the maps (SmoothGrad, Smilkov et al. 2017).</summary>
    SmoothGrad,
    /// <summary>Mean of the squared maps (SmoothGrad², Hooker et al. 2019).</summary>
    SmoothGradSquared,
    /// <summary>Variance of the maps (VarGrad, Adebayo et al. 2018).</summary>
    VarGrad,
}

/// <summary>
/// Wraps any method: attributes <see cref="Samples"/> copies of each image with Gaussian noise of
/// standard deviation <see cref="NoiseLevel"/> (in [0, 1] pixel units, i.e. a fraction of the valid
/// range) and aggregates their maps. Targets are fixed on the clean images first, so noise never
/// changes what is explained; all noisy copies go through the inner method in one call, sharing its batching.
/// </summary>
public sealed class NoiseTunnel(IAttributionMethod inner, NoiseAggregation aggregation = NoiseAggregation.SmoothGrad,
    int samples = 50, double noiseLevel = 0.15, long seed = 0) : IAttributionMethod
{
    public int Samples { get; } = samples > 0 ? samples : throw new ArgumentOutOfRangeException(nameof(samples), $"noise samples must be at least 1, got {samples}");
    public double NoiseLevel { get; } = noiseLevel >= 0 && double.IsFinite(noiseLevel) ? noiseLevel
        : throw new ArgumentOutOfRangeException(nameof(noiseLevel), $"noise level must be a non-negative number, got {noiseLevel}");

    public string Name => aggregation switch
    {
        NoiseAggregation.SmoothGrad => $"smoothgrad({inner.Name})",
        NoiseAggregation.SmoothGradSquared => $"smoothgrad-sq({inner.Name})",
        _ => $"vargrad({inner.Name})",
    };

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long[] targets;
        double[] scores;
        using (var scope = NewDisposeScope())
            (_, targets, scores) = PreparedImages.Prepare(model, images, target, ScoreKind.Logit, 256);

        var noisy = NoisyCopies(images);
        var repeatedTargets = Target.PerImage(targets.SelectMany(t => Enumerable.Repeat((int)t, Samples)).ToArray());
        var maps = inner.Attribute(model, noisy, repeatedTargets);

        var size = images.Shape.Size;
        var seconds = clock.Elapsed.TotalSeconds / Math.Max(1, images.Count);
        return Enumerable.Range(0, images.Count).Select(i =>
        {
            var (sum, squares) = (new double[size], new double[size]);
            for (var s = 0; s < Samples; s++)
            {
                var map = maps[i * Samples + s].Map;
                for (var j = 0; j < size; j++)
                {
                    sum[j] += map[j];
                    squares[j] += (double)map[j] * map[j];
                }
            }
            var aggregated = new float[size];
            for (var j = 0; j < size; j++)
            {
                var mean = sum[j] / Samples;
                var meanOfSquares = squares[j] / Samples;
                aggregated[j] = (float)(aggregation switch
                {
                    NoiseAggregation.SmoothGrad => mean,
                    NoiseAggregation.SmoothGradSquared => meanOfSquares,
                    _ => Math.Max(0, meanOfSquares - mean * mean),
                });
            }
            var first = maps[i * Samples];
            return new ImageAttribution(images.Keys[i], (int)targets[i], aggregated, scores[i], null, first.Steps * Samples, seconds);
        }).ToArray();
    }

    ImageSet NoisyCopies(ImageSet images)
    {
        var size = images.Shape.Size;
        var pixels = new float[images.Count * Samples * size];
        for (var i = 0; i < images.Count; i++)
        {
            using var scope = NewDisposeScope();
            using var generator = new Generator(StableSeed.For(seed, images.Keys[i], "noise-tunnel"));
            var clean = tensor(images.Image(i).ToArray());
            var copies = clean.unsqueeze(0) + NoiseLevel * randn(new long[] { Samples, size }, generator: generator);
            copies.data<float>().CopyTo(pixels.AsSpan(i * Samples * size, Samples * size));
        }
        return new ImageSet(images.Source, images.Shape, pixels,
            images.Keys.SelectMany(k => Enumerable.Repeat(k, Samples)).ToArray(),
            images.Labels.SelectMany(l => Enumerable.Repeat(l, Samples)).ToArray(), images.ClassNames);
    }
}
