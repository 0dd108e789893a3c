using TorchSharp;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// Pad, by mode constant (with a value), reflect or edge. Before opset 11 the pads and value are attributes; from 11 the
/// pads are the second input (int64) and the value the optional third; from 18 an optional fourth input names the axes the
/// pads are for. Pads list every axis's beginning, then every axis's end; negative pads remove elements.
/// </summary>
sealed class Pad : IOnnxOperator
{
    public string OpType => "Pad";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        var mode = node.String("mode", "constant");
        if (mode is not ("constant" or "reflect" or "edge"))
            throw node.Error($"mode {OnnxNames.Show(mode)} is not one of constant, reflect, edge");
        Func<Tensor?[], long[]> padsOf;
        Func<Tensor?[], double> valueOf;
        Func<Tensor?[], long[]?> axesOf = _ => null;
        if (model.Opset < 11)
        {
            node.RequireArity(1, 1, 1);
            var pads = node.Ints("pads") ?? throw node.Error("attribute 'pads' is required before opset 11");
            var value = node.Float("value", 0f);
            (padsOf, valueOf) = (_ => pads, _ => value);
        }
        else
        {
            node.RequireArity(2, model.Opset >= 18 ? 4 : 3, 1);
            var pads = OnnxValues.OptionalLongs(node, model, 1);
            padsOf = inputs => pads(inputs)!;
            valueOf = inputs => inputs.Length > 2 && inputs[2] is { } v ? OnnxValues.Scalar(v) : 0;
            if (model.Opset >= 18) axesOf = OnnxValues.OptionalLongs(node, model, 3);
        }
        return inputs =>
        {
            var x = inputs[0]!;
            var rank = (int)x.dim();
            var axes = (axesOf(inputs) ?? Enumerable.Range(0, rank).Select(a => (long)a).ToArray()).Select(a => OnnxValues.Axis(a, rank, node)).ToArray();
            var given = padsOf(inputs);
            if (given.Length != 2 * axes.Length) throw node.Error($"has {given.Length} pads for {axes.Length} axes; it takes two per axis");
            var (begin, end) = (new long[rank], new long[rank]);
            for (var i = 0; i < axes.Length; i++) (begin[axes[i]], end[axes[i]]) = (given[i], given[i + axes.Length]);
            return [Apply(x, begin, end, mode, valueOf(inputs), node)];
        };
    }

    static Tensor Apply(Tensor x, long[] begin, long[] end, string mode, double value, OnnxNode node)
    {
        // Negative pads crop; what is left to add is then non-negative.
        for (var axis = 0; axis < begin.Length; axis++)
        {
            var (cutBegin, cutEnd) = (Math.Max(0, -begin[axis]), Math.Max(0, -end[axis]));
            if (cutBegin + cutEnd > x.shape[axis]) throw node.Error($"negative pads remove more than axis {axis} holds");
            if (cutBegin + cutEnd > 0) x = x.narrow(axis, cutBegin, x.shape[axis] - cutBegin - cutEnd);
        }
        var padded = Enumerable.Range(0, begin.Length).Where(a => begin[a] > 0 || end[a] > 0).ToArray();
        if (padded.Length == 0) return x;
        // functional.pad lists the last axis first and pads as many trailing axes as it is given pairs for.
        var trailing = begin.Length - padded.Min();
        var pairs = Enumerable.Range(0, trailing).SelectMany(i => new[] { Math.Max(0, begin[^(i + 1)]), Math.Max(0, end[^(i + 1)]) }).ToArray();
        if (mode == "constant") return nn.functional.pad(x, pairs, PaddingModes.Constant, value);
        // Torch reflects and replicates 1 to 3 trailing axes of a tensor with one or two more (batch and channels): the leading
        // axes are folded into one for it.
        if (trailing > 3) throw node.Error($"mode {mode} pads {trailing} trailing axes; at most 3 are supported");
        var shape = x.shape;
        var folded = x.reshape(new[] { -1L }.Concat(shape.Skip(begin.Length - trailing)).ToArray());
        var result = nn.functional.pad(folded, pairs, mode == "reflect" ? PaddingModes.Reflect : PaddingModes.Replicate);
        return result.reshape(shape.Take(begin.Length - trailing).Concat(result.shape.Skip(1)).ToArray());
    }
}
