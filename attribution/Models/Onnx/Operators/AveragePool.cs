using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// AveragePool over the two spatial axes of X [N, C, H, W]: kernel_shape, strides, pads or auto_pad, count_include_pad
/// (default 0: padding is left out of each window's count) and from opset 10 ceil_mode. Windows that run past the padded
/// input under ceil_mode average what they cover, as onnxruntime does.
/// </summary>
sealed class AveragePool : IOnnxOperator
{
    public string OpType => "AveragePool";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(1, 1, 1);
        var kernel = WindowPadding.Spatial(node, "kernel_shape", null);
        var strides = WindowPadding.Spatial(node, "strides", [1, 1]);
        if (node.Has("dilations") && node.Ints("dilations")!.Any(d => d != 1))
            throw node.Error("dilations other than 1 are not supported (they exist from opset 19)");
        var ceil = model.Opset >= 10 && node.Int("ceil_mode", 0) != 0;
        var countPadding = node.Int("count_include_pad", 0) != 0;
        var padding = WindowPadding.Read(node);
        var ones = new long[] { 1, 1 };
        return inputs =>
        {
            var x = inputs[0]!;
            WindowPadding.RequireImage(x, node);
            var pads = padding.For(x.shape[2], x.shape[3], kernel, strides, ones);
            var (padded, symmetric) = WindowPadding.Apply(x, pads, 0, axis => kernel[axis] / 2);
            var average = nn.functional.avg_pool2d(padded, kernel, strides, symmetric, ceil, countPadding);
            if (countPadding || symmetric.Any(p => p > 0) || pads.All(p => p == 0)) return [average];
            // Padding applied here counts as pixels to torch; dividing by the share of real pixels in each window leaves it out.
            using var real = ones_like(x, device: x.device).narrow(1, 0, 1).narrow(0, 0, 1);
            var (realPadded, _) = WindowPadding.Apply(real, pads, 0, _ => -1);
            return [average / nn.functional.avg_pool2d(realPadded, kernel, strides, symmetric, ceil, true)];
        };
    }
}
