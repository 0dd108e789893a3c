using TorchSharp;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// The padding of a convolution or pooling window over the two spatial axes of an image, as ONNX states it: <c>pads</c>
/// (begin of each axis, then end of each axis, so they may differ) or <c>auto_pad</c> (SAME_UPPER, SAME_LOWER: the output
/// is ⌈input / stride⌉ and the odd pixel of padding goes at the end or the beginning; VALID: none), which wins over
/// <c>pads</c>. Torch pads both sides of an axis alike, so unequal padding is applied beforehand with <c>pad</c>.
/// </summary>
sealed class WindowPadding
{
    readonly string mode;
    readonly long[] pads;

    WindowPadding(string mode, long[] pads) => (this.mode, this.pads) = (mode, pads);

    public static WindowPadding Read(OnnxNode node)
    {
        var mode = node.String("auto_pad", "NOTSET");
        if (mode is not ("NOTSET" or "SAME_UPPER" or "SAME_LOWER" or "VALID"))
            throw node.Error($"auto_pad {OnnxNames.Show(mode)} is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        var pads = node.Ints("pads") ?? new long[4];
        if (pads.Length != 4) throw node.Error($"pads has {pads.Length} values; a 2-D window takes 4 (begin and end of height and width)");
        if (pads.Any(p => p < 0)) throw node.Error("pads are negative");
        return new WindowPadding(mode, pads);
    }

    /// <summary>[top, left, bottom, right] for an input of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public long[] For(long height, long width, long[] kernel, long[] strides, long[] dilations)
    {
        if (mode == "NOTSET") return pads;
        if (mode == "VALID") return new long[4];
        var result = new long[4];
        var size = new[] { height, width };
        for (var axis = 0; axis < 2; axis++)
        {
            var output = (size[axis] + strides[axis] - 1) / strides[axis];
            var total = Math.Max(0, (output - 1) * strides[axis] + (kernel[axis] - 1) * dilations[axis] + 1 - size[axis]);
            var small = total / 2;
            (result[axis], result[axis + 2]) = mode == "SAME_UPPER" ? (small, total - small) : (total - small, small);
        }
        return result;
    }

    /// <summary>
    /// Pads <paramref name="input"/> by <paramref name="value"/> where torch cannot (unequal sides, or more than
    /// <paramref name="symmetricLimit"/> per side), and returns what is left for torch's own symmetric padding.
    /// </summary>
    public static (Tensor Input, long[] Symmetric) Apply(Tensor input, long[] pads, double value, Func<int, long> symmetricLimit)
    {
        var equal = pads[0] == pads[2] && pads[1] == pads[3] && pads[0] <= symmetricLimit(0) && pads[1] <= symmetricLimit(1);
        if (equal) return (input, new[] { pads[0], pads[1] });
        // functional.pad takes the last axis first: left, right, top, bottom.
        return (nn.functional.pad(input, new[] { pads[1], pads[3], pads[0], pads[2] }, PaddingModes.Constant, value), new long[2]);
    }

    public static long[] Spatial(OnnxNode node, string attribute, long[]? fallback)
    {
        var values = node.Ints(attribute) ?? fallback ?? throw node.Error($"attribute '{attribute}' is required");
        if (values.Length != 2) throw node.Error($"{attribute} has {values.Length} values; only 2-D windows (images, 4-D inputs) are supported");
        if (values.Any(v => v < 1)) throw node.Error($"{attribute} must be positive");
        return values;
    }

    public static void RequireImage(Tensor input, OnnxNode node)
    {
        if (input.dim() != 4) throw node.Error($"takes a 4-D input [N, C, H, W], got {OnnxValues.Shape(input)}");
    }
}
