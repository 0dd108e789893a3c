using Saliency.Attribution.Data;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models;

/// <summary>
/// <c>untrained:ARCH</c>: a torchvision architecture at 3×224×224 with ImageNet's normalisation and preprocessing, its
/// weights initialised as torchvision initialises them from a fixed seed, so every machine builds the same network.
/// No pretrained weights can be fetched here; these stand for ResNet-class models in tests, benchmarks and the
/// photos demo, where what is measured (cost, memory, completeness, the sanity checks) does not need training.
/// </summary>
public static class UntrainedModels
{
    public const string Prefix = "untrained:";
    const long Seed = 20170304;

    public static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    public static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];
    public static readonly ImagePreprocess ImageNetPreprocess = new(Resize: 256, Crop: 224);
    static readonly ImageShape Input = new(3, 224, 224);
    static readonly Lock seeding = new();

    public static bool Names(string reference) => reference.StartsWith(Prefix, StringComparison.Ordinal);

    public static string Architecture(string reference)
    {
        var architecture = reference[Prefix.Length..];
        return ModelLoader.Architectures.Contains(architecture) && architecture != FashionCnn.BuiltInName
            ? architecture
            : throw new ArgumentException($"unknown architecture in '{reference}' (known: {string.Join(", ", ModelLoader.Architectures.Where(a => a != FashionCnn.BuiltInName))})");
    }

    /// <summary>What the network declares, before <paramref name="overrides"/> from a spec.</summary>
    public static ModelMetadata Metadata(string reference) => new()
    {
        Architecture = Architecture(reference),
        Input = [Input.Channels, Input.Height, Input.Width],
        Mean = ImageNetMean,
        Std = ImageNetStd,
        NumClasses = 1000,
        Preprocess = ImageNetPreprocess,
    };

    public static ImageClassifier Load(string reference, ModelMetadata? overrides = null, ComputeDevice? device = null)
    {
        var metadata = (overrides ?? new ModelMetadata()).Over(Metadata(reference));
        nn.Module<Tensor, Tensor> network;
        // torchvision initialises from the global generator: seeded here, one network at a time.
        lock (seeding)
        {
            random.manual_seed(Seed);
            network = ModelLoader.Create(metadata.Architecture!, metadata.NumClasses, reference);
        }
        var spec = new ModelSpec(reference, metadata.DeclaredInput(reference), metadata.Mean, metadata.Std, metadata.Classes ?? [],
            metadata.Architecture, metadata.Preprocess);
        return new ImageClassifier(spec, network, device);
    }
}
