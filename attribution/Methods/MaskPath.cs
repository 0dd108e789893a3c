using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>
/// The integration path of I-GOS and iGOS++ for one image: the points keep·αU + fill·(1 − αU), α = k/N for
/// k = 1..N, of an upsampled mask U, optionally with Gaussian noise of σ <c>noise</c> in the model's normalised
/// space, and the mean of the target's probability over them (the references' <c>interval_score</c>).
/// </summary>
public sealed class MaskPath
{
    readonly ImageClassifier model;
    readonly Tensor alphas, noiseScale, targets;
    readonly long[] shape;

    /// <param name="image">[1, C, H, W]: gives the shape, type and device of the points.</param>
    /// <param name="games">Paths scored together at most (each of <paramref name="steps"/> points).</param>
    public MaskPath(ImageClassifier model, Tensor image, long target, int steps, double noise, int games = 1)
    {
        this.model = model;
        Steps = steps;
        shape = new[] { (long)steps, image.shape[1], image.shape[2], image.shape[3] };
        alphas = (arange(1, steps + 1, image.dtype, image.device) / steps).view(-1, 1, 1, 1);
        noiseScale = model.Spec.Std is { } std ? tensor(std).to(image.dtype, image.device).view(1, -1, 1, 1) * noise : tensor(noise).to(image.dtype, image.device);
        targets = full(steps * games, target, ScalarType.Int64, image.device);
    }

    public int Steps { get; }

    /// <summary>[N, C, H, W] points from <paramref name="fill"/> (α → 0) to keep·U + fill·(1 − U) (α = 1).</summary>
    public Tensor Points(Tensor keep, Tensor fill, Tensor upsampled)
    {
        var path = alphas * upsampled;
        return keep * path + fill * (1 - path);
    }

    /// <summary>Noise for <paramref name="paths"/> paths' points, drawn on the CPU, whose generator gives the same numbers whatever device the model is on.</summary>
    public Tensor Noise(int paths, Generator generator)
    {
        var size = (long[])shape.Clone();
        size[0] *= paths;
        return randn(size, alphas.dtype, generator: generator).to(alphas.device) * noiseScale;
    }

    /// <summary>[P] mean target probabilities of P paths' points laid end to end ([P·N, C, H, W]).</summary>
    public Tensor MeanScores(Tensor points)
    {
        var paths = points.shape[0] / Steps;
        return ClassScore.Of(model, points, targets.narrow(0, 0, points.shape[0]), ScoreKind.Probability).view(paths, Steps).mean(new long[] { 1 });
    }
}
