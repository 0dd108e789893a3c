using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using Saliency.Attribution.Randomness;
using static TorchSharp.torch;

namespace Saliency.Attribution.Metrics;

/// <summary>Draws the perturbation of sample <c>s</c> of image <c>i</c>, as many values as the image has.</summary>
public delegate float[] Perturbation(int image, int sample);

/// <summary>
/// Infidelity (Yeh et al. 2019, "On the (in)fidelity and sensitivity of explanations"), as Captum's <c>infidelity</c>
/// computes it without normalisation: over <paramref name="samples"/> (10) perturbations I, the mean of
/// (Σ map · I − (f(x) − f(x − I)))², f the target's score. Here I is Gaussian noise of standard deviation
/// <paramref name="noise"/> in pixel units, drawn per image from the sweep's seed. Lower is better: a map that predicts
/// how the score moves under small perturbations has low infidelity. With <paramref name="normalise"/>, as Captum's
/// <c>normalize=True</c>, the map is first scaled by the β that fits it best, β = Σ(Σ map·I)(Δf) / Σ(Σ map·I)², so maps
/// in different units (Grad-CAM's, a gradient's) compare by their pattern alone; sweeps use that form.
/// </summary>
public sealed class Infidelity(ScoreKind score = ScoreKind.Logit, long seed = 0, double noise = Infidelity.DefaultNoise,
    int samples = Infidelity.DefaultSamples, bool normalise = false)
{
    public const double DefaultNoise = 0.1;
    public const int DefaultSamples = 10;

    /// <param name="perturbation">The perturbations to use; Gaussian, seeded per image, when null.</param>
    public double[] Score(ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> maps, Perturbation? perturbation = null)
    {
        model.RequireInput(images.Shape, images.Source);
        perturbation ??= (image, sample) => Gaussian(images.Keys[image], sample, images.Shape.Size);
        var results = new double[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            var size = images.Shape.Size;
            var draws = new float[samples * size];
            var predicted = new double[samples];
            var map = maps[i].Map;
            for (var s = 0; s < samples; s++)
            {
                var drawn = perturbation(i, s);
                drawn.CopyTo(draws, s * size);
                for (var p = 0; p < size; p++) predicted[s] += (double)map[p] * drawn[p];
            }
            var shape = images.Shape;
            var changes = ScoreDrops.Of(model, images, i, maps[i].Target, score, samples, samples, (image, start, count) =>
                image - model.Input(tensor(draws.AsSpan(start * size, count * size).ToArray(), shape.WithBatch(count))));
            double squares = 0, products = 0, drops = 0, errors = 0;
            for (var s = 0; s < samples; s++)
            {
                var drop = changes[s];
                (squares, products, drops) = (squares + predicted[s] * predicted[s], products + predicted[s] * drop, drops + drop * drop);
                errors += (predicted[s] - drop) * (predicted[s] - drop);
            }
            var beta = squares == 0 ? products : products / squares;
            results[i] = (normalise ? beta * beta * squares - 2 * beta * products + drops : errors) / samples;
        }
        return results;
    }

    float[] Gaussian(int key, int sample, int size)
    {
        using var generator = new Generator(StableSeed.For(seed, key, $"infidelity {sample}"));
        return (randn(size, generator: generator) * noise).data<float>().ToArray();
    }
}

/// <summary>
/// Max-sensitivity (Yeh et al. 2019), as Captum's <c>sensitivity_max</c> computes it: over <paramref name="samples"/> (10) inputs
/// x + δ with δ uniform in [−<paramref name="radius"/>, <paramref name="radius"/>] per pixel (Captum's default radius, 0.02),
/// the largest ‖e(x + δ) − e(x)‖ / ‖e(x)‖ (Frobenius norms; an all-zero map divides by 1), e the method explaining the
/// same class again. Lower is better: a map that a change no one could see does not move.
/// </summary>
public sealed class MaxSensitivity(long seed = 0, double radius = MaxSensitivity.DefaultRadius, int samples = MaxSensitivity.DefaultSamples)
{
    public const double DefaultRadius = 0.02;
    public const int DefaultSamples = 10;

    public double[] Score(IAttributionMethod method, ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> maps, Perturbation? perturbation = null)
    {
        perturbation ??= (image, sample) => Uniform(images.Keys[image], sample, images.Shape.Size);
        var size = images.Shape.Size;
        var pixels = new float[images.Count * samples * size];
        var keys = new int[images.Count * samples];
        var labels = new int[images.Count * samples];
        var targets = new int[images.Count * samples];
        for (var i = 0; i < images.Count; i++)
        {
            var image = images.Image(i);
            for (var s = 0; s < samples; s++)
            {
                var row = i * samples + s;
                var shift = perturbation(i, s);
                for (var p = 0; p < size; p++) pixels[row * size + p] = image[p] + shift[p];
                // The shifted copies keep their image's key, so a method that draws per key draws as it did for the image.
                (keys[row], labels[row], targets[row]) = (images.Keys[i], images.Labels[i], maps[i].Target);
            }
        }
        var shifted = new ImageSet(images.Source, images.Shape, pixels, keys, labels, images.ClassNames);
        var again = method.Attribute(model, shifted, Target.PerImage(targets));
        var results = new double[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            var original = maps[i].Map;
            var norm = Math.Sqrt(original.Sum(v => (double)v * v));
            if (norm == 0) norm = 1;
            for (var s = 0; s < samples; s++)
            {
                var moved = again[i * samples + s].Map;
                var distance = 0.0;
                for (var p = 0; p < original.Length; p++)
                {
                    var d = (double)original[p] - moved[p];
                    distance += d * d;
                }
                results[i] = Math.Max(results[i], Math.Sqrt(distance) / norm);
            }
        }
        return results;
    }

    float[] Uniform(int key, int sample, int size)
    {
        using var generator = new Generator(StableSeed.For(seed, key, $"max-sensitivity {sample}"));
        return ((rand(size, generator: generator) * 2 - 1) * radius).data<float>().ToArray();
    }
}
