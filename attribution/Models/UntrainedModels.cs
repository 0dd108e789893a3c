using Saliency.Attribution.Data;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models;

/// <summary>
/// <c>untrained:ARCH</c>: a torchvision architecture at 3×224×224 with ImageNet's normalisation and preprocessing, its
/// weights drawn as torchvision's initialisation draws them (convolutions He-normal over fan-out, linear layers uniform
/// over ±1/√fan-in, batch norms at one and zero) from a generator of its own with a fixed seed, so every machine, and
/// every load beside other work that draws random numbers, builds the same network.
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

    public static bool Names(string reference) => reference.StartsWith(Prefix, StringComparison.Ordinal);

    public static string Architecture(string reference)
    {
        var architecture = reference[Prefix.Length..];
        return ModelLoader.Architectures.Contains(architecture) && architecture != FashionCnn.BuiltInName
            ? architecture
            : throw new ArgumentException($"unknown architecture in '{reference}' (known: {string.Join(", ", ModelLoader.Architectures.Where(a => a != FashionCnn.BuiltInName))})");
    }

    /// <summary>What the network declares, before a spec overrides it.</summary>
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
        var metadata = ModelLoader.Declared(reference, overrides);
        var network = ModelLoader.Create(metadata.Architecture!, metadata.NumClasses, reference);
        Initialise(network);
        var spec = new ModelSpec(reference, metadata.DeclaredInput(reference), metadata.Mean, metadata.Std, metadata.Classes ?? [],
            metadata.Architecture, metadata.Preprocess);
        return new ImageClassifier(spec, network, device);
    }

    /// <summary>Draws every weight anew from a seeded generator of its own, in the order of the parameters' names.</summary>
    static void Initialise(nn.Module network)
    {
        using var noGrad = no_grad();
        using var generator = new Generator(Seed);
        long linearFanIn = 0;
        foreach (var (name, parameter) in network.named_parameters())
        {
            switch (parameter.dim())
            {
                case 4:
                    parameter.normal_(0, Math.Sqrt(2.0 / (parameter.shape[0] * parameter.shape[2] * parameter.shape[3])), generator);
                    break;
                case 2:
                    linearFanIn = parameter.shape[1];
                    var bound = 1 / Math.Sqrt(linearFanIn);
                    parameter.uniform_(-bound, bound, generator);
                    break;
                case 1 when linearFanIn > 0 && name.EndsWith("bias", StringComparison.Ordinal):
                    // A linear layer's bias follows its weight; batch norms keep the ones and zeros they were made with.
                    var biasBound = 1 / Math.Sqrt(linearFanIn);
                    parameter.uniform_(-biasBound, biasBound, generator);
                    linearFanIn = 0;
                    break;
            }
        }
    }
}
