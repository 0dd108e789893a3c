using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests.Onnx;

/// <summary>Grad-CAM on an ONNX model, whose layers are addressed by node or output name.</summary>
public class OnnxGradCamTests
{
    static readonly float[] W1 = OnnxFile.Values(4 * 3 * 9, 31), W2 = OnnxFile.Values(5 * 4 * 9, 32), F = OnnxFile.Values(3 * 5, 33);

    /// <summary>conv1 → relu1 → conv2 → relu2 → global average → dense: three classes from 3×10×10 images.</summary>
    static string Network() => new OnnxFile(11, [1, 3, 10, 10])
        .Floats("W1", [4, 3, 3, 3], W1).Floats("W2", [5, 4, 3, 3], W2).Floats("F", [3, 5], F)
        .Node("Conv", ["x", "W1"], ["c1"], "conv1", ("pads", new long[] { 1, 1, 1, 1 }))
        .Node("Relu", ["c1"], ["r1"], "relu1")
        .Node("Conv", ["r1", "W2"], ["c2"], "conv2", ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 0, 0 }))
        .Node("Relu", ["c2"], ["r2"], "relu2")
        .Node("GlobalAveragePool", ["r2"], ["p"], "pool")
        .Node("Flatten", ["p"], ["f"], "flatten")
        .Node("Gemm", ["f", "F"], ["y"], "dense", ("transB", 1L))
        .Save();

    static ImageSet Images => TestData.RandomImages(new ImageShape(3, 10, 10), 3, 34);

    [Fact]
    public void Grad_cam_at_a_node_is_the_class_activation_map_of_its_output()
    {
        using var model = ModelLoader.Load(Network());
        var results = new GradCam("relu2").Attribute(model, Images, Target.Predicted);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // The same network written in torch: relu2 is [5, 5, 5]; the score is Σ_c F[k, c] · mean(relu2_c), so Grad-CAM's
        // weights are F[k, c] / 25 and the map is ReLU(Σ_c F[k, c] · relu2_c) / 25.
        var x = Images.ToTensor();
        var r1 = nn.functional.relu(nn.functional.conv2d(x, tensor(W1).view(4, 3, 3, 3), padding: [1, 1]));
        var r2 = nn.functional.relu(nn.functional.conv2d(nn.functional.pad(r1, [1, 0, 1, 0]), tensor(W2).view(5, 4, 3, 3), strides: [2, 2]));
        for (var i = 0; i < results.Count; i++)
        {
            var cam = nn.functional.relu((tensor(F).view(3, 5)[results[i].Target].view(5, 1, 1) * r2[i]).sum(dim: 0) / 25);
            var expected = nn.functional.interpolate(cam.view(1, 1, 5, 5), [10, 10], mode: InterpolationMode.Bilinear, align_corners: false).expand(1, 3, 10, 10);
            Assert.Equal(expected.flatten().data<float>().ToArray(), results[i].Map, (a, b) => Math.Abs(a - b) <= 1e-5f + 1e-5f * Math.Abs(a));
        }
    }

    [Fact]
    public void A_node_and_its_output_name_the_same_layer()
    {
        using var model = ModelLoader.Load(Network());

        var byNode = new GradCam("conv2").Attribute(model, Images, Target.Predicted);
        var byOutput = new GradCam("c2").Attribute(model, Images, Target.Predicted);

        Assert.Equal(byNode.Select(r => r.Map), byOutput.Select(r => r.Map));
    }

    [Fact]
    public void Without_a_layer_grad_cam_uses_the_last_convolution_node()
    {
        using var model = ModelLoader.Load(Network());

        Assert.Equal("conv2", GradCam.FindLayer(model, null).Name);
        Assert.Equal(
            new GradCam("conv2").Attribute(model, Images, Target.Predicted).Select(r => r.Map),
            new GradCam().Attribute(model, Images, Target.Predicted).Select(r => r.Map));
    }

    [Fact]
    public void An_unknown_layer_is_refused_listing_the_names_a_layer_answers_to()
    {
        using var model = ModelLoader.Load(Network());

        var error = Assert.Throws<ArgumentException>(() => new GradCam("conv9").Attribute(model, Images, Target.Predicted));

        Assert.Contains("'conv9'", error.Message);
        Assert.Contains("relu2", error.Message);
        Assert.Contains("c2", error.Message);
    }

    [Fact]
    public void The_layers_of_an_onnx_model_are_listed_in_the_order_they_run()
    {
        using var model = ModelLoader.Load(Network());

        var layers = Assert.IsAssignableFrom<INamedLayers>(model.Network).LayerNames;

        Assert.Equal(["conv1", "c1", "relu1", "r1", "conv2", "c2", "relu2", "r2", "pool", "p", "flatten", "f", "dense", "y"], layers);
    }
}
