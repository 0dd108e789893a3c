using static TorchSharp.torch;

namespace Saliency.Attribution.Baselines;

/// <summary>
/// <c>max-distance</c> (Sturmfels et al. 2020, "Visualizing the Impact of Feature Attribution Baselines"):
/// per pixel and channel, the end of the valid range [0, 1] farthest from the input.
/// </summary>
public sealed record MaxDistanceBaseline() : ImageBaseline("max-distance")
{
    public override bool IsRandom => false;

    public override Tensor Create(Tensor images, IReadOnlyList<int> keys, long seed) =>
        where(images < 0.5, ones_like(images), zeros_like(images));
}
