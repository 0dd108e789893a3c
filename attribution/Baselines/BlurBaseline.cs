using Saliency.Attribution.Imaging;
using static TorchSharp.torch;

namespace Saliency.Attribution.Baselines;

/// <summary><c>blur:σ</c>: the image under a spatial Gaussian blur of standard deviation σ pixels.</summary>
public sealed record BlurBaseline(double Sigma) : ImageBaseline($"blur:{Format(Sigma)}")
{
    public override bool IsRandom => false;

    public override Tensor Create(Tensor images, IReadOnlyList<int> keys, long seed) => GaussianBlur.Apply(images, Sigma);
}
