using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Saliency.Attribution.Imaging;

/// <summary>
/// Separable Gaussian blur over height and width only, with a kernel of radius ⌈3σ⌉ and replicated
/// borders, so any σ works on any image size (reflection padding fails once the radius passes the side).
/// </summary>
public static class GaussianBlur
{
    public static Tensor Apply(Tensor images, double sigma)
    {
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), $"blur σ must be positive, got {sigma}");
        using var scope = NewDisposeScope();
        var (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        var radius = (int)Math.Ceiling(3 * sigma);
        var kernel = Kernel(sigma, radius, images.dtype, images.device);
        var planes = images.reshape(n * c, 1, h, w);
        var padded = pad(planes, new long[] { radius, radius, radius, radius }, PaddingModes.Replicate);
        var blurred = conv2d(conv2d(padded, kernel.view(1, 1, 1, -1)), kernel.view(1, 1, -1, 1));
        return blurred.reshape(n, c, h, w).MoveToOuterDisposeScope();
    }

    static Tensor Kernel(double sigma, int radius, ScalarType type, Device device)
    {
        var values = Enumerable.Range(-radius, 2 * radius + 1).Select(x => Math.Exp(-x * x / (2 * sigma * sigma))).ToArray();
        var total = values.Sum();
        return tensor(values.Select(v => v / total).ToArray()).to(type, device);
    }
}
