using System.Globalization;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Saliency.Attribution.Data.Planted;
using Saliency.Attribution.Models.PhotosPlanted;
using TorchSharp;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests.Planted;

/// <summary>
/// photos-planted's network as one module from [0, 1] RGB pixels: ×255, the backbone's preprocessing graph, the backbone
/// up to its tap and the head, checked against onnxruntime running the two graphs one after the other, and its input
/// gradients against central differences. The head's weights are fresh here: what is checked is the composition.
/// </summary>
public class PhotosPlantedNetworkTests
{
    static readonly Lazy<float[]> TwoPhotographs = new(() => PlantedPhotographs.Load("test").Planted().Read(0, 2).Images.Pixels);

    [Fact]
    public void Its_features_are_onnxruntimes_preprocessing_then_backbone_on_pixels_scaled_to_255()
    {
        using var network = PhotosPlantedNetwork.Create();
        var pixels = TwoPhotographs.Value;
        var size = PlantedPhotographs.Shape.Size;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ours = network.Features(tensor(pixels, [2, 3, 224, 224])).contiguous().data<float>().ToArray();

        var tapped = TappedBackbone(PhotosPlantedNetwork.Tap + "_Output_0");
        try
        {
            var expected = new List<float>();
            for (var image = 0; image < 2; image++)
            {
                var scaled = pixels.AsSpan(image * size, size).ToArray().Select(p => p * 255).ToArray();
                var (preprocessed, _) = Run(ResNet18Backbone.PreprocessPath, scaled, null);
                var (features, shape) = Run(tapped, preprocessed, PhotosPlantedNetwork.Tap + "_Output_0");
                Assert.Equal(new long[] { 1, PhotosPlantedNetwork.TapChannels, 28, 28 }, shape);
                expected.AddRange(features);
            }
            var largest = expected.Max(Math.Abs);
            var worst = expected.Zip(ours, (a, b) => Math.Abs(a - b)).Max();
            // Float32 convolutions summed in other orders (onnxruntime folds batch norms into them): the backbone's own test
            // finds 6.6e-7 of the largest feature at its end; 1e-4 leaves room for other CPUs' kernels.
            Assert.True(worst < 1e-4 * largest, $"features differ by {worst:E2}, the largest is {largest:E2}");
        }
        finally { File.Delete(tapped); }
    }

    [Fact]
    public void Its_input_gradients_match_central_differences_in_double_precision()
    {
        using var network = PhotosPlantedNetwork.Create();
        network.to(ScalarType.Float64);
        network.eval();
        foreach (var parameter in network.parameters()) parameter.requires_grad = false;
        using var scope = NewDisposeScope();
        // A mark's flat cells tie in the backbone's max pool, where the score has no derivative: seeded noise of 1% breaks the ties.
        var noise = new Random(5);
        var pixels = tensor(TwoPhotographs.Value.Take(PlantedPhotographs.Shape.Size).Select(p => p + 0.01 * noise.NextDouble()).ToArray(), [1, 3, 224, 224]);
        const int target = 3;
        double Score(Tensor x)
        {
            using var noGrad = no_grad();
            return network.call(x)[0, target].item<double>();
        }

        var input = pixels.clone().requires_grad_(true);
        var gradient = autograd.grad([network.call(input)[0, target]], [input])[0].flatten();
        Assert.True(gradient.isfinite().all().item<bool>());
        var largest = gradient.abs().max().item<double>();
        Assert.True(largest > 0, "no gradient reaches the pixels");

        // The three pixels with the largest gradients, and one of the image's corner: where the score moves most, and elsewhere.
        // A step may cross a kink (a ReLU at zero, the head's maximum changing place), where autograd takes one side's
        // derivative: so the gradient must match the central difference or one of the one-sided ones.
        var coordinates = gradient.abs().topk(3).indexes.data<long>().ToArray().Append(0L);
        const double step = 1e-6;
        var atInput = Score(pixels);
        foreach (var coordinate in coordinates)
        {
            var plus = pixels.clone().flatten();
            var minus = pixels.clone().flatten();
            plus[coordinate] += step;
            minus[coordinate] -= step;
            var (up, down) = (Score(plus.view(1, 3, 224, 224)), Score(minus.view(1, 3, 224, 224)));
            double[] differences = [(up - down) / (2 * step), (up - atInput) / step, (atInput - down) / step];
            var analytic = gradient[coordinate].item<double>();
            Assert.True(differences.Any(d => Math.Abs(d - analytic) <= 1e-4 * largest),
                $"pixel {coordinate}: gradient {analytic:E4}, central and one-sided differences {string.Join(", ", differences.Select(d => d.ToString("E4", CultureInfo.InvariantCulture)))}");
        }
    }

    /// <summary>The backbone's file with <paramref name="output"/> as its output, written to a temporary file for onnxruntime.</summary>
    static string TappedBackbone(string output)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ResNet18Backbone.NetworkPath));
        model.Graph.Output.Clear();
        model.Graph.Output.Add(new ValueInfoProto { Name = output, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        var path = Path.Combine(Path.GetTempPath(), $"saliency-tapped-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    static (float[] Values, long[] Shape) Run(string path, float[] input, string? output)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, 224, 224]);
        using var run = new RunOptions();
        using var results = session.Run(run, [session.InputNames[0]], [value], [output ?? session.OutputNames[0]]);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), results[0].GetTensorTypeAndShape().Shape);
    }
}
