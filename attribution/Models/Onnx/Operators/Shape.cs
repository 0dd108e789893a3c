using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>Shape: the input's dimensions as a 1-D int64 tensor; from opset 15, only those from start to end (negative counts from the end, clamped).</summary>
sealed class Shape : IOnnxOperator
{
    public string OpType => "Shape";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(1, 1, 1);
        var (start, end) = model.Opset >= 15 ? (node.Int("start", 0), node.Has("end") ? node.Int("end", 0) : long.MaxValue) : (0, long.MaxValue);
        return inputs =>
        {
            var x = inputs[0]!;
            var rank = x.dim();
            long Clamp(long i) => Math.Clamp(i < 0 ? i + rank : i, 0, rank);
            var dims = x.shape.Skip((int)Clamp(start)).Take((int)Math.Max(0, Clamp(end) - Clamp(start))).ToArray();
            return [tensor(dims, ScalarType.Int64, x.device)];
        };
    }
}
