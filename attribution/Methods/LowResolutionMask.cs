using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Saliency.Attribution.Methods;

/// <summary>The low-resolution masks of I-GOS and iGOS++: their default side, their upsampling and their total variation.</summary>
public static class LowResolutionMask
{
    /// <summary>The references' mask side on 224-pixel images (I-GOS and iGOS++ alike).</summary>
    public const int ReferenceCells = 28;

    /// <summary>
    /// The references' 28 cells, or the input's shorter side when smaller: on 28-pixel images one cell per pixel, which
    /// beats side / 8 (3 cells) for both methods: for I-GOS by 0.21 on deletion and 0.14 on insertion (docs/methods.md,
    /// bench igos-reference), for iGOS++ by 0.25 and 0.28 (docs/science.md, bench faithfulness).
    /// </summary>
    public static int DefaultSize(long height, long width) => (int)Math.Max(1, Math.Min(ReferenceCells, Math.Min(height, width)));

    /// <summary>The input side / 8, the references' ratio of mask to image: 3 cells on 28 pixels.</summary>
    public static int Eighth(long height, long width) => Math.Max(1, (int)Math.Min(height, width) / 8);

    /// <summary>[N, 1, s, s] masks upsampled bilinearly (corners aligned, as PyTorch's UpsamplingBilinear2d) to [N, 1, H, W].</summary>
    public static Tensor Upsample(Tensor masks, long height, long width) =>
        interpolate(masks, new[] { height, width }, mode: InterpolationMode.Bilinear, align_corners: true);

    /// <summary>TV_β of a [1, 1, h, w] mask: the mean of |vertical differences|^β plus the mean of |horizontal differences|^β.</summary>
    public static Tensor TotalVariation(Tensor mask, double beta)
    {
        var (vertical, horizontal) = Differences(mask[0, 0]);
        return MeanOrZero(vertical?.abs().pow(beta), mask) + MeanOrZero(horizontal?.abs().pow(beta), mask);
    }

    /// <summary>Differences between vertical and horizontal neighbours of a [h, w] plane; null along a side of one.</summary>
    internal static (Tensor? Vertical, Tensor? Horizontal) Differences(Tensor plane)
    {
        var (rows, columns) = (plane.shape[^2], plane.shape[^1]);
        var vertical = rows > 1 ? plane.narrow(-2, 0, rows - 1) - plane.narrow(-2, 1, rows - 1) : null;
        var horizontal = columns > 1 ? plane.narrow(-1, 0, columns - 1) - plane.narrow(-1, 1, columns - 1) : null;
        return (vertical, horizontal);
    }

    internal static Tensor MeanOrZero(Tensor? values, Tensor like) => values?.mean() ?? zeros(1, like.dtype, like.device).sum();
}
