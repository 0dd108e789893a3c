using Saliency.Attribution.Randomness;
using static TorchSharp.torch;

namespace Saliency.Attribution.Baselines;

/// <summary><c>uniform</c>: independent uniform noise over the valid range [0, 1].</summary>
public sealed record UniformNoiseBaseline() : ImageBaseline("uniform")
{
    public override bool IsRandom => true;

    public override Tensor Create(Tensor images, IReadOnlyList<int> keys, long seed) =>
        PerImage(images, keys, (shape, generator) => rand(shape, generator: generator, dtype: images.dtype), seed, Name);

    internal static Tensor PerImage(Tensor images, IReadOnlyList<int> keys, Func<long[], Generator, Tensor> draw, long seed, string purpose)
    {
        using var scope = NewDisposeScope();
        var shape = images.shape[1..];
        var draws = keys.Select(key =>
        {
            using var generator = new Generator(StableSeed.For(seed, key, purpose));
            return draw(shape, generator);
        }).ToArray();
        return stack(draws).to(images.device).MoveToOuterDisposeScope();
    }
}

/// <summary><c>gaussian:σ</c>: the image plus Gaussian noise of standard deviation σ, clipped to [0, 1].</summary>
public sealed record GaussianNoiseBaseline(double Sigma) : ImageBaseline($"gaussian:{Format(Sigma)}")
{
    public override bool IsRandom => true;

    public override Tensor Create(Tensor images, IReadOnlyList<int> keys, long seed)
    {
        using var scope = NewDisposeScope();
        var noise = UniformNoiseBaseline.PerImage(images, keys, (shape, generator) => randn(shape, generator: generator, dtype: images.dtype), seed, Name);
        return (images + Sigma * noise).clamp(0, 1).MoveToOuterDisposeScope();
    }
}
