using System.Reflection;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using Saliency.Attribution.Models.Onnx;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests.Onnx;

/// <summary>
/// The pretrained ResNet-18 of NuGet's Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0 (restored into the NuGet cache by
/// this project's PackageDownload), read as TorchSharp operations.
/// </summary>
public class OnnxBackboneTests(ITestOutputHelper output)
{
    /// <summary>The backbone's file in the NuGet cache, as the build recorded it.</summary>
    public static string ResNet18 { get; } = typeof(OnnxBackboneTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResNet18Onnx").Value!;

    /// <summary>Its preprocessing: RGB pixels in [0, 255] become BGR less the ImageNet mean image.</summary>
    static string Preprocess => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(ResNet18))!, "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    static readonly ImageShape Input = new(3, 224, 224);

    /// <summary>The shipped photographs decoded as the project decodes them (shorter side to 224, centre crop), in [0, 255] RGB.</summary>
    static (string Name, float[] Pixels)[] Photographs() =>
        Directory.GetFiles(TestData.Photos, "*.jpg").Order(StringComparer.Ordinal).Select((file, key) =>
        {
            var pixels = new float[Input.Size];
            ImageDecoder.Decode(file, key, Input, new ImagePreprocess(Resize: 224, Crop: 224), pixels);
            return (Path.GetFileName(file), pixels.Select(p => p * 255).ToArray());
        }).ToArray();

    [Fact]
    public void The_backbone_gives_onnxruntimes_features_on_the_shipped_photographs()
    {
        Assert.True(File.Exists(ResNet18), $"{ResNet18} is missing: restore the tests (dotnet restore) to download it");
        using var backbone = OnnxModel.Load(ResNet18);
        var photographs = Photographs();
        Assert.Equal(5, photographs.Length);
        var worst = 0.0;
        foreach (var (name, pixels) in photographs)
        {
            // The same tensor for both: the preprocessing as onnxruntime computes it.
            var (input, _) = OnnxRuntimeReference.Run(Preprocess, pixels, [1, 3, 224, 224]);
            var (expected, shape) = OnnxRuntimeReference.Run(ResNet18, input, [1, 3, 224, 224]);
            Assert.Equal(new long[] { 1, 512, 1, 1 }, shape);

            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var features = backbone.call(tensor(input, [1, 3, 224, 224])).data<float>().ToArray();

            var largest = expected.Max(Math.Abs);
            var difference = expected.Zip(features, (a, b) => (double)Math.Abs(a - b)).Max();
            output.WriteLine($"{name}: largest feature {largest:F4}, largest difference {difference:E2} ({difference / largest:E2} of the largest)");
            worst = Math.Max(worst, difference / largest);
        }
        // Two float32 implementations of 22 convolutions, which add in different orders (onnxruntime also folds each batch
        // norm into its convolution): 2.2e-7 to 6.6e-7 of the largest feature, measured 2026-12-07 (docs/models-and-data.md);
        // 1e-4 leaves room for other CPUs' kernels.
        Assert.True(worst < 1e-4, $"features differ by {worst:E2} of the largest");
    }

    [Fact]
    public void The_preprocessing_graph_runs_as_onnxruntime_runs_it()
    {
        var (_, pixels) = Photographs()[0];
        var (expected, _) = OnnxRuntimeReference.Run(Preprocess, pixels, [1, 3, 224, 224]);

        var (values, shape) = OnnxOperatorTests.Ours(Preprocess, pixels, [1, 3, 224, 224]);

        Assert.Equal(new long[] { 1, 3, 224, 224 }, shape);
        Assert.Equal(expected, values, (a, b) => Math.Abs(a - b) <= 1e-4f);
    }

    [Fact]
    public void The_backbones_last_convolutional_block_is_node_ReLU393_and_its_last_convolution_Convolution387()
    {
        using var backbone = OnnxModel.Load(ResNet18);

        Assert.Equal(8, backbone.Opset);
        Assert.Equal("Convolution387", backbone.DefaultLayer);
        // The last residual block's output, 512 × 7 × 7, just before the average pool (node Pooling395).
        Assert.Equal(["ReLU393", "ReLU393_Output_0", "Pooling395", "Pooling395_Output_0"], backbone.LayerNames.TakeLast(4));
    }

    [Fact]
    public void Grad_cam_reads_the_last_block_of_the_backbone_by_node_name()
    {
        // Features are the "classes" of a backbone; the mean and std make [0, 1] pixels into [0, 255] less ImageNet's mean.
        using var model = ModelLoader.Load(ResNet18, new ModelMetadata { Mean = [0.485f, 0.456f, 0.406f], Std = [1 / 255f, 1 / 255f, 1 / 255f] });
        var (_, pixels) = Photographs()[1];
        var images = new ImageSet("photo", Input, pixels.Select(p => p / 255).ToArray(), [0], [0]);

        var map = new GradCam("ReLU393").Attribute(model, images, Target.Predicted).Single();

        Assert.Equal(Input, model.Spec.Input);
        Assert.Equal(Input.Size, map.Map.Length);
        Assert.All(map.Map, v => Assert.True(v >= 0 && float.IsFinite(v)));
        Assert.Contains(map.Map, v => v > 0);
    }
}
