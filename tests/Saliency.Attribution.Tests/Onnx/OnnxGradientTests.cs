using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using Saliency.Attribution.Models.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests.Onnx;

/// <summary>Input gradients of an ONNX model read as TorchSharp operations, checked against finite differences in float64.</summary>
public class OnnxGradientTests
{
    /// <summary>
    /// A smooth network of the operators whose padding, pooling and reshaping the interpreter does by hand: [2, 6, 6] →
    /// conv, unequal pads → [3, 7, 5] → average pool, unequal pads → [3, 3, 2] → reflect pad → [3, 5, 3] → 45 → 4 classes.
    /// </summary>
    static string SmoothNetwork() => new OnnxFile(13, [0, 2, 6, 6])
        .Floats("W", [3, 2, 3, 3], OnnxFile.Values(3 * 2 * 9, 21))
        .Longs("pads", [8], 0, 0, 1, 1, 0, 0, 1, 0)
        .Floats("F", [4, 3 * 5 * 3], OnnxFile.Values(4 * 45, 22)).Floats("Fb", [4], 0.1f, 0.2f, -0.3f, 0.4f)
        .Longs("shape", [2], 0, -1)
        .Node("Conv", ["x", "W"], ["c"], "conv", ("pads", new long[] { 2, 0, 1, 1 }), ("strides", new long[] { 1, 1 }))
        .Node("Tanh", ["c"], ["t"])
        .Node("AveragePool", ["t"], ["a"], "pool", ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 0, 0, 1 }))
        .Node("Pad", ["a", "pads"], ["p"], "pad", ("mode", "reflect"))
        .Node("Sigmoid", ["p"], ["s"])
        .Node("Reshape", ["s", "shape"], ["r"])
        .Node("Gemm", ["r", "F", "Fb"], ["g"], "head", ("transB", 1L), ("alpha", 0.7f))
        .Node("Softmax", ["g"], ["y"])
        .Save();

    [Fact]
    public void The_network_runs_in_float64()
    {
        using var module = OnnxModel.Load(SmoothNetwork());
        module.to(ScalarType.Float64);
        using var scope = NewDisposeScope();

        var output = module.call(rand(2, 2, 6, 6, ScalarType.Float64));

        Assert.Equal(ScalarType.Float64, output.dtype);
        Assert.Equal(new long[] { 2, 4 }, output.shape);
    }

    [Fact]
    public void Input_gradients_match_central_differences_in_float64()
    {
        using var module = OnnxModel.Load(SmoothNetwork());
        module.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var x = rand(1, 2, 6, 6, ScalarType.Float64);
        var weights = tensor(new[] { 1.0, -2.0, 0.5, 3.0 });
        double Score(Tensor input) { using var noGrad = no_grad(); return (module.call(input) * weights).sum().item<double>(); }

        var leaf = x.clone().requires_grad_(true);
        var gradient = autograd.grad([(module.call(leaf) * weights).sum()], [leaf])[0].flatten().data<double>().ToArray();

        const double step = 1e-5;
        var flat = x.flatten();
        var largest = gradient.Max(Math.Abs);
        for (var i = 0; i < flat.shape[0]; i++)
        {
            var plus = flat.clone(); plus[i] += step;
            var minus = flat.clone(); minus[i] -= step;
            var difference = (Score(plus.view(x.shape)) - Score(minus.view(x.shape))) / (2 * step);
            // Central differences err by O(step²) ≈ 1e-10 times the third derivative, and by 1e-16 / step in rounding.
            Assert.True(Math.Abs(difference - gradient[i]) <= 1e-8 + 1e-7 * largest, $"input {i}: autograd {gradient[i]}, central difference {difference}");
        }
        Assert.True(largest > 1e-3, "the gradient is not all zero");
    }

    [Fact]
    public void Integrated_gradients_are_complete_through_an_onnx_model()
    {
        using var model = ModelLoader.Load(SmoothNetwork());
        Assert.Equal(new ImageShape(2, 6, 6), model.Spec.Input);
        Assert.Equal("onnx", model.Spec.Architecture);

        var results = new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("black"), Steps = 64 })
            .Attribute(model.To(ScalarType.Float64), TestData.RandomImages(new ImageShape(2, 6, 6), 3, 23), Target.Predicted);

        Assert.All(results, r => Assert.True(r.Completeness!.RelativeDelta(r.Score) < 1e-3, $"relative delta {r.Completeness.RelativeDelta(r.Score)}"));
        Assert.All(results, r => Assert.Contains(r.Map, v => v != 0));
    }
}
