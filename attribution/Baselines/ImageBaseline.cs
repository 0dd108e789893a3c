using static TorchSharp.torch;

namespace Saliency.Attribution.Baselines;

/// <summary>A baseline that is one image per input image.</summary>
public abstract record ImageBaseline(string Name) : Baseline(Name)
{
    /// <param name="images">[N, C, H, W] pixels in [0, 1].</param>
    /// <param name="keys">Each image's key in its source, which seeds random baselines.</param>
    /// <param name="seed">The run's seed.</param>
    /// <returns>[N, C, H, W] baselines in pixel space, in the caller's dispose scope.</returns>
    public abstract Tensor Create(Tensor images, IReadOnlyList<int> keys, long seed);
}
