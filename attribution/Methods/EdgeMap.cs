using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>
/// The Sobel gradient magnitude of the input image, channel by channel, borders replicated: a map that looks like an
/// explanation and knows nothing of the model. It is the control that must fail model-parameter randomisation
/// (Adebayo et al. 2018, "Sanity checks for saliency maps", where an edge detector stands beside the methods).
/// The model runs only to give each image its target and score.
/// </summary>
public sealed class EdgeMap : IAttributionMethod
{
    static readonly float[] SobelX = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
    static readonly float[] SobelY = [-1, -2, -1, 0, 0, 0, 1, 2, 1];

    public string Name => "edge";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target) =>
        PreparedImages.AttributeAll(model, images, target, ScoreKind.Logit, 256, 0, _ => Sobel(images.ToTensor()));

    /// <summary>[N, C, H, W] magnitudes of [N, C, H, W] images, in the caller's dispose scope.</summary>
    public static Tensor Sobel(Tensor images)
    {
        var channels = images.shape[1];
        var padded = nn.functional.pad(images, [1, 1, 1, 1], PaddingModes.Replicate);
        Tensor Kernel(float[] values) => tensor(values, [1, 1, 3, 3]).expand(channels, 1, 3, 3).contiguous();
        var gx = nn.functional.conv2d(padded, Kernel(SobelX), groups: channels);
        var gy = nn.functional.conv2d(padded, Kernel(SobelY), groups: channels);
        return (gx.square() + gy.square()).sqrt();
    }
}
