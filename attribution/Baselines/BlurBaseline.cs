using Saliency.Attribution.Imaging;
using static TorchSharp.torch;

namespace Saliency.Attribution.Baselines;

/// <summary>
/// <c>blur:σ</c>: the image under a spatial Gaussian blur of standard deviation σ pixels; <c>blur:σ:k</c>: the
/// same σ on OpenCV's k×k kernel with reflected borders (<see cref="GaussianBlur.Apply(Tensor, double, int)"/>).
/// </summary>
public sealed record BlurBaseline(double Sigma, int? KernelSize = null)
    : ImageBaseline(KernelSize is { } size ? $"blur:{Format(Sigma)}:{size}" : $"blur:{Format(Sigma)}")
{
    public override bool IsRandom => false;

    public override Tensor Create(Tensor images, IReadOnlyList<int> keys, long seed) =>
        KernelSize is { } size ? GaussianBlur.Apply(images, Sigma, size) : GaussianBlur.Apply(images, Sigma);
}
