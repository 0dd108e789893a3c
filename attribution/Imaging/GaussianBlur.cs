using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Saliency.Attribution.Imaging;

/// <summary>
/// Separable Gaussian blur over height and width only, in two forms. <see cref="Apply(Tensor, double)"/>
/// takes a kernel of radius ⌈3σ⌉ (<see cref="Radius"/>) and replicated borders, so any σ works on any image size
/// (reflection padding fails once the radius passes the side); <see cref="Apply(Tensor, double, BlurBorder, int?)"/>
/// lets the caller set the radius and pad with zeros instead. <see cref="Apply(Tensor, double, int)"/> is OpenCV's
/// <c>cv2.GaussianBlur(image, (k, k), σ)</c>: a kernel of k taps (getGaussianKernel) and the
/// BORDER_REFLECT_101 border that call uses by default.
/// </summary>
public static class GaussianBlur
{
    /// <summary>⌈3σ⌉: the radius the σ form takes when none is given.</summary>
    public static int Radius(double sigma)
    {
        RequireSigma(sigma);
        return (int)Math.Ceiling(3 * sigma);
    }

    public static Tensor Apply(Tensor images, double sigma) => Apply(images, sigma, BlurBorder.Replicate);

    /// <param name="radius">The kernel's taps each side of the centre, ⌈3σ⌉ when left out. ⌈3σ⌉ jumps as σ passes a
    /// third of a pixel, and the blur with it; a radius held fixed makes the blur a smooth function of σ.</param>
    public static Tensor Apply(Tensor images, double sigma, BlurBorder border, int? radius = null)
    {
        RequireSigma(sigma);
        var taps = radius ?? Radius(sigma);
        if (taps < 0) throw new ArgumentOutOfRangeException(nameof(radius), $"blur radius must not be negative, got {taps}");
        using var scope = NewDisposeScope();
        var (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        var kernel = Kernel(sigma, 2 * taps + 1, images.dtype, images.device);
        var planes = images.reshape(n * c, 1, h, w);
        var padding = new long[] { taps, taps, taps, taps };
        var padded = border switch
        {
            BlurBorder.Replicate => pad(planes, padding, PaddingModes.Replicate),
            BlurBorder.Zero => pad(planes, padding, PaddingModes.Constant, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(border), $"unknown blur border {border}"),
        };
        var blurred = conv2d(conv2d(padded, kernel.view(1, 1, 1, -1)), kernel.view(1, 1, -1, 1));
        return blurred.reshape(n, c, h, w).MoveToOuterDisposeScope();
    }

    /// <param name="size">The kernel's taps along each axis: odd and positive, as OpenCV requires.</param>
    public static Tensor Apply(Tensor images, double sigma, int size)
    {
        RequireSigma(sigma);
        RequireKernelSize(size);
        using var scope = NewDisposeScope();
        var (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        var radius = size / 2;
        var kernel = Kernel(sigma, size, images.dtype, images.device);
        var planes = images.reshape(n * c, 1, h, w);
        // Padding by index rather than torch's reflect mode, which refuses a radius as wide as the side.
        var padded = planes
            .index_select(2, Reflect101(h, radius, images.device))
            .index_select(3, Reflect101(w, radius, images.device));
        var blurred = conv2d(conv2d(padded, kernel.view(1, 1, 1, -1)), kernel.view(1, 1, -1, 1));
        return blurred.reshape(n, c, h, w).MoveToOuterDisposeScope();
    }

    /// <exception cref="ArgumentOutOfRangeException">The size is not odd and positive.</exception>
    public static void RequireKernelSize(int size)
    {
        if (size < 1 || size % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(size), $"blur kernel size must be odd and positive, got {size}");
    }

    static void RequireSigma(double sigma)
    {
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), $"blur σ must be positive, got {sigma}");
    }

    /// <summary>exp(−(i − (size − 1)/2)² / 2σ²), normalised in double precision as getGaussianKernel does for σ > 0.</summary>
    static Tensor Kernel(double sigma, int size, ScalarType type, Device device)
    {
        var centre = (size - 1) / 2.0;
        var values = Enumerable.Range(0, size).Select(i => Math.Exp(-(i - centre) * (i - centre) / (2 * sigma * sigma))).ToArray();
        var total = values.Sum();
        return tensor(values.Select(v => v / total).ToArray()).to(type, device);
    }

    /// <summary>The source index of each padded position (gfedcb|abcdefgh|gfedcba), reflected again while outside, as borderInterpolate does.</summary>
    static Tensor Reflect101(long length, int radius, Device device)
    {
        var indices = new long[length + 2 * radius];
        for (var i = 0; i < indices.Length; i++)
        {
            long p = i - radius;
            if (length == 1) p = 0;
            while (p < 0 || p >= length) p = p < 0 ? -p : 2 * (length - 1) - p;
            indices[i] = p;
        }
        return tensor(indices, device: device);
    }
}

/// <summary>What the σ form of <see cref="GaussianBlur"/> takes for the pixels beyond the image.</summary>
public enum BlurBorder
{
    /// <summary>The nearest edge pixel: a flat image stays flat, and the border is as bright as the image there.</summary>
    Replicate,
    /// <summary>Zero, as scipy's <c>gaussian_filter(mode='constant')</c> that Blur IG's reference blurs with: the blur darkens the borders.</summary>
    Zero,
}
