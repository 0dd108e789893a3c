using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Saliency.Attribution.Models.PhotosPlanted;

/// <summary>
/// The trained part of <c>photos-planted</c>: two 3 × 3 convolutions over the backbone's feature map, a 1 × 1 convolution
/// to one score map per class, and the largest score of each map. A mark is small and may lie anywhere, so each class is
/// scored where its evidence is strongest rather than averaged with the rest of the photograph.
/// </summary>
public sealed class MarkHead : Module<Tensor, Tensor>
{
    public const int Width = 64;

    readonly Conv2d conv1, conv2, scores;
    readonly ReLU relu1, relu2;

    public MarkHead(int features, int classes) : base(nameof(MarkHead))
    {
        conv1 = Conv2d(features, Width, 3, padding: 1);
        relu1 = ReLU();
        conv2 = Conv2d(Width, Width, 3, padding: 1);
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
        var maps = scores.call(relu2.call(conv2.call(relu1.call(conv1.call(features)))));
        return maps.amax([2, 3]).MoveToOuterDisposeScope();
    }
}
