namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// Reshape (opset 5 and later: the shape is the second input, int64): a 0 copies the input's dimension at that place (or,
/// with allowzero = 1 from opset 14, means a dimension of 0), and one −1 takes what is left.
/// </summary>
sealed class Reshape : IOnnxOperator
{
    public string OpType => "Reshape";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(2, 2, 1);
        var allowZero = model.Opset >= 14 && node.Int("allowzero", 0) != 0;
        var shapeOf = OnnxValues.OptionalLongs(node, model, 1);
        return inputs =>
        {
            var x = inputs[0]!;
            var shape = shapeOf(inputs)!.ToArray();
            if (shape.Count(d => d == -1) > 1 || shape.Any(d => d < -1))
                throw node.Error($"shape [{string.Join(", ", shape)}] has more than one −1 or a dimension below −1");
            if (allowZero && shape.Contains(0) && shape.Contains(-1))
                throw node.Error("shape has both 0 and −1 under allowzero = 1");
            for (var i = 0; i < shape.Length && !allowZero; i++)
                if (shape[i] == 0)
                    shape[i] = i < x.dim() ? x.shape[i] : throw node.Error($"shape copies dimension {i} of a tensor of rank {x.dim()}");
            return [x.reshape(shape)];
        };
    }
}
