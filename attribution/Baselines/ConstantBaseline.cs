using static TorchSharp.torch;

namespace Saliency.Attribution.Baselines;

/// <summary><c>black</c> (all zeros) and <c>white</c> (all ones) in pixel space.</summary>
public sealed record ConstantBaseline(string Label, float Value) : ImageBaseline(Label)
{
    public override bool IsRandom => false;

    public override Tensor Create(Tensor images, IReadOnlyList<int> keys, long seed) => full_like(images, Value);
}
