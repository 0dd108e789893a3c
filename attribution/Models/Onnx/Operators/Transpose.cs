namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>Transpose: the axes permuted by perm (default: reversed).</summary>
sealed class Transpose : IOnnxOperator
{
    public string OpType => "Transpose";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(1, 1, 1);
        var perm = node.Ints("perm");
        return inputs =>
        {
            var x = inputs[0]!;
            var order = perm ?? Enumerable.Range(0, (int)x.dim()).Reverse().Select(a => (long)a).ToArray();
            if (order.Length != x.dim() || order.Order().Select((a, i) => a == i).Any(same => !same))
                throw node.Error($"perm [{string.Join(", ", order)}] is not a permutation of the {x.dim()} axes");
            return [x.permute(order)];
        };
    }
}
