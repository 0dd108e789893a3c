using System.Reflection;
using Saliency.Attribution.Models.Onnx;

namespace Saliency.Attribution.Models.PhotosPlanted;

/// <summary>
/// Where the pretrained ResNet-18 of NuGet's Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0 (MIT; an ImageNet model
/// exported by CNTK) lies: its two ONNX graphs, the network (<c>ResNet18Onnx/ResNet18.onnx</c>, 3 × 224 × 224 in,
/// 512 pooled features out) and its preprocessing (<c>ResNetPrepOnnx/ResNetPreprocess.onnx</c>). Restore downloads the
/// package into the NuGet cache on every machine that builds the program, and the build records that folder; a folder
/// <c>resnet18-onnx/</c> in the models' folder holding the same two subfolders wins over it, for a machine that runs a
/// copied build.
/// </summary>
public static class ResNet18Backbone
{
    public const string Package = "Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0";

    public const string CopiedFolderName = "resnet18-onnx";

    /// <summary>The last residual block's output, 512 × 7 × 7, the node just before the average pool.</summary>
    public const string LastBlock = "ReLU393";

    /// <summary>The folder holding <c>ResNet18Onnx/</c> and <c>ResNetPrepOnnx/</c>.</summary>
    public static string Folder
    {
        get
        {
            var copied = Path.Combine(ModelLoader.ModelsFolder, CopiedFolderName);
            if (Directory.Exists(copied)) return copied;
            return typeof(ResNet18Backbone).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "ResNet18OnnxFolder")?.Value ?? copied;
        }
    }

    public static string NetworkPath => Path.Combine(Folder, "ResNet18Onnx", "ResNet18.onnx");

    public static string PreprocessPath => Path.Combine(Folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    /// <summary>The preprocessing graph: [0, 255] RGB in, BGR less the mean image out.</summary>
    public static OnnxModule LoadPreprocess() => OnnxModel.Load(Require(PreprocessPath));

    /// <summary>The network, up to <paramref name="output"/> when it is given (a node's output), else to its pooled features.</summary>
    public static OnnxModule LoadNetwork(string? output = null) => OnnxModel.Load(Require(NetworkPath), output: output);

    static string Require(string path) => File.Exists(path) ? path : throw new FileNotFoundException(
        $"the pretrained ResNet-18 that {Data.Planted.PlantedPhotographs.Name} is built on is not at {path}: restore the program " +
        $"(dotnet restore, or ./saliency, which builds it) to download {Package}, or copy the package's " +
            $"tools/DnnImageModels folder to {Path.Combine(ModelLoader.ModelsFolder, CopiedFolderName)}", path);
}
