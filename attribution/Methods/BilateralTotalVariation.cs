using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>
/// The bilateral total variation of iGOS++ (Khorram, Lawson and Fuxin 2021; <c>bilateral_tv_norm</c> of the
/// reference, khorrams/IGOS_pp): ½·(TV_β(M) + mean over neighbouring pixels of w·|ΔU|^β), where U is the mask M
/// upsampled to the image and w = exp(−Δx²/σ), averaged over channels, of the image in the model's normalised
/// space. A mask edge costs little where the image has an edge and fully across a flat region, so the mask
/// follows the image's edges.
/// </summary>
public sealed class BilateralTotalVariation
{
    readonly Tensor? vertical, horizontal;
    readonly double beta;

    /// <param name="image">[1, C, H, W] pixels.</param>
    /// <param name="std">The model's per-channel standard deviation, or null when it does not normalise.</param>
    public BilateralTotalVariation(Tensor image, float[]? std, double beta, double sigma)
    {
        this.beta = beta;
        var normalised = std is null ? image : image / tensor(std).to(image.dtype, image.device).view(1, -1, 1, 1);
        Tensor Weight(Tensor difference) => (-difference.square() / sigma).exp().mean(new long[] { 1 }, keepdim: true);
        var (v, h) = LowResolutionMask.Differences(normalised);
        (vertical, horizontal) = (v is null ? null : Weight(v), h is null ? null : Weight(h));
    }

    /// <param name="mask">[1, 1, h, w] mask.</param>
    /// <param name="upsampled">[1, 1, H, W]: the mask upsampled to the image.</param>
    public Tensor Of(Tensor mask, Tensor upsampled)
    {
        var (v, h) = LowResolutionMask.Differences(upsampled);
        var edges = LowResolutionMask.MeanOrZero(v is null ? null : vertical! * v.abs().pow(beta), mask)
            + LowResolutionMask.MeanOrZero(h is null ? null : horizontal! * h.abs().pow(beta), mask);
        return 0.5 * (LowResolutionMask.TotalVariation(mask, beta) + edges);
    }
}
