using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// Conv (opsets 1 and 11; unchanged in meaning over 7 to 18): a 2-D convolution of X [N, C, H, W] by W [M, C/group, kH, kW]
/// with an optional bias B [M]; attributes strides, dilations, group, pads or auto_pad (<see cref="WindowPadding"/>),
/// kernel_shape (optional, W's own). Only 2-D convolutions are supported.
/// </summary>
sealed class Conv : IOnnxOperator
{
    public string OpType => "Conv";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(2, 3, 1);
        var weight = model.Known(node.Inputs[1]);
        if (weight is not null && weight.Shape.Length != 4)
            throw node.Error($"weight has {weight.Shape.Length} dimensions; only 2-D convolutions (4-D weights) are supported");
        // Without kernel_shape the kernel is the weight's, read at load when the weight is an initialiser, else as it runs.
        var declared = node.Has("kernel_shape") || weight is not null ? WindowPadding.Spatial(node, "kernel_shape", weight?.Shape[2..]) : null;
        var strides = WindowPadding.Spatial(node, "strides", [1, 1]);
        var dilations = WindowPadding.Spatial(node, "dilations", [1, 1]);
        var groups = node.Int("group", 1);
        if (groups < 1) throw node.Error($"group {groups} is not positive");
        var padding = WindowPadding.Read(node);
        return inputs =>
        {
            var (x, w, b) = (inputs[0]!, inputs[1]!, inputs.Length > 2 ? inputs[2] : null);
            WindowPadding.RequireImage(x, node);
            if (w.dim() != 4) throw node.Error($"weight {OnnxValues.Shape(w)} is not 4-D; only 2-D convolutions are supported");
            var kernel = declared ?? [w.shape[2], w.shape[3]];
            if (w.shape[2] != kernel[0] || w.shape[3] != kernel[1])
                throw node.Error($"weight {OnnxValues.Shape(w)} does not match kernel_shape [{kernel[0]}, {kernel[1]}]");
            var pads = padding.For(x.shape[2], x.shape[3], kernel, strides, dilations);
            var (padded, symmetric) = WindowPadding.Apply(x, pads, 0, _ => long.MaxValue);
            return [nn.functional.conv2d(padded, w, b, strides, symmetric, dilations, groups)];
        };
    }
}
