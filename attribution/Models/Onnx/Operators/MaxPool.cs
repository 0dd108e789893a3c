using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// MaxPool over the two spatial axes of X [N, C, H, W]: kernel_shape, strides, pads or auto_pad (padding never wins a
/// maximum: it is −∞), and from opset 10 dilations and ceil_mode (before 10 neither exists: a window of stride 1 and no
/// ceiling). The second output, Indices (opset 8 and later), is not computed.
/// </summary>
sealed class MaxPool : IOnnxOperator
{
    public string OpType => "MaxPool";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(1, 1, 1);
        var kernel = WindowPadding.Spatial(node, "kernel_shape", null);
        var strides = WindowPadding.Spatial(node, "strides", [1, 1]);
        var dilations = model.Opset >= 10 ? WindowPadding.Spatial(node, "dilations", [1, 1]) : [1L, 1L];
        var ceil = model.Opset >= 10 && node.Int("ceil_mode", 0) != 0;
        var padding = WindowPadding.Read(node);
        return inputs =>
        {
            var x = inputs[0]!;
            WindowPadding.RequireImage(x, node);
            var pads = padding.For(x.shape[2], x.shape[3], kernel, strides, dilations);
            // Torch pads a max pool by at most half its window on each side; more, or unequal sides, are padded here with −∞.
            var (padded, symmetric) = WindowPadding.Apply(x, pads, double.NegativeInfinity, axis => ((kernel[axis] - 1) * dilations[axis] + 1) / 2);
            return [nn.functional.max_pool2d(padded, kernel, strides, symmetric, dilations, ceil)];
        };
    }
}
