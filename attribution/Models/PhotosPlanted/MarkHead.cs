using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Saliency.Attribution.Models.PhotosPlanted;

/// <summary>
/// The trained part of <c>photos-planted</c>: two 3 × 3 convolutions over the backbone's feature map, each with a batch
/// norm and a ReLU, a 1 × 1 convolution to one score map per class, and the largest score of each map. Two 3 × 3
/// convolutions at the backbone's stride of 8 pixels span 5 × 5 units, a mark's 5 × 5 cells. A mark is small and may lie
/// anywhere, so each class is scored where its evidence is strongest rather than averaged with the rest of the
/// photograph. Without the batch norms the head learned the classes one by one, a few at a time over many epochs.
/// </summary>
public sealed class MarkHead : Module<Tensor, Tensor>
{
    public const int Width = 32;

    readonly Conv2d conv1, conv2, scores;
    readonly BatchNorm2d norm1, norm2;
    readonly ReLU relu1, relu2;

    public MarkHead(int features, int classes) : base(nameof(MarkHead))
    {
        conv1 = Conv2d(features, Width, 3, padding: 1);
        norm1 = BatchNorm2d(Width);
        relu1 = ReLU();
        conv2 = Conv2d(Width, Width, 3, padding: 1);
        norm2 = BatchNorm2d(Width);
        relu2 = ReLU();
        scores = Conv2d(Width, classes, 1);
        RegisterComponents();
    }

    /// <summary>The head's layers a hook can read, by name: its two ReLUs' outputs.</summary>
    public IReadOnlyDictionary<string, Module<Tensor, Tensor>> Layers => new Dictionary<string, Module<Tensor, Tensor>>(StringComparer.Ordinal)
    {
        ["head.relu1"] = relu1,
        ["head.relu2"] = relu2,
    };

    /// <param name="features">[N, features, H, W].</param>
    /// <returns>[N, classes].</returns>
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var maps = scores.call(relu2.call(norm2.call(conv2.call(relu1.call(norm1.call(conv1.call(features)))))));
        return maps.amax([2, 3]).MoveToOuterDisposeScope();
    }
}
