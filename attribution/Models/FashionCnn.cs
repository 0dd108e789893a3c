using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Saliency.Attribution.Models;

/// <summary>
/// The built-in Fashion-MNIST classifier: three 3×3 convolution blocks, global average pooling and one
/// linear layer, so class activation maps (CAM, Grad-CAM) apply to its last convolution.
/// </summary>
public sealed class FashionCnn : Module<Tensor, Tensor>
{
    public const string BuiltInName = "fashion-cnn";
    public const string LastConvolution = "features.conv3";
    public static readonly float[] PixelMean = { 0.2860f };
    public static readonly float[] PixelStd = { 0.3530f };

    readonly Sequential features;
    readonly Linear classifier;

    public FashionCnn(int classes = 10) : base(nameof(FashionCnn))
    {
        features = Sequential(
            ("conv1", Conv2d(1, 32, 3, padding: 1)), ("bn1", BatchNorm2d(32)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(32, 64, 3, padding: 1)), ("bn2", BatchNorm2d(64)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
            ("conv3", Conv2d(64, 128, 3, padding: 1)), ("bn3", BatchNorm2d(128)), ("relu3", ReLU()));
        classifier = Linear(128, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var pooled = features.call(input).mean(new long[] { 2, 3 });
        return classifier.call(pooled).MoveToOuterDisposeScope();
    }

    public static ModelSpec Spec => SpecNamed(BuiltInName);

    /// <summary>The spec of a model of this architecture, such as the built-in <c>fashion-planted</c>, named <paramref name="name"/>.</summary>
    public static ModelSpec SpecNamed(string name) => new(name, new Data.ImageShape(1, 28, 28), PixelMean, PixelStd,
        Data.FashionMnist.ClassNames, BuiltInName);
}
