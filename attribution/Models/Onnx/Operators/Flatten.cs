namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// Flatten: a tensor of shape (d0, …, dn−1) becomes 2-D, (d0 · … · d(axis−1), d(axis) · … · dn−1); axis defaults to 1 and
/// axis 0 gives (1, all). Negative axes count from the end from opset 11; before 11 they are refused.
/// </summary>
sealed class Flatten : IOnnxOperator
{
    public string OpType => "Flatten";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(1, 1, 1);
        var axis = node.Int("axis", 1);
        if (axis < 0 && model.Opset < 11) throw node.Error($"axis {axis} is negative, which opsets before 11 do not allow");
        return inputs =>
        {
            var x = inputs[0]!;
            var rank = x.dim();
            // axis may equal the rank here (everything in the first dimension), unlike most axes.
            var at = axis < 0 ? axis + rank : axis;
            if (at < 0 || at > rank) throw node.Error($"axis {axis} is outside [{-rank}, {rank}] for a tensor of rank {rank}");
            var outer = x.shape.Take((int)at).Aggregate(1L, (p, d) => p * d);
            var inner = x.shape.Skip((int)at).Aggregate(1L, (p, d) => p * d);
            return [x.reshape(outer, inner)];
        };
    }
}
