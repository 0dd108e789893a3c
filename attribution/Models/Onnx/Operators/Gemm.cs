namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// Gemm: Y = alpha · A′ · B′ + beta · C, where A′ is A or Aᵀ (transA) and B′ is B or Bᵀ (transB), A and B 2-D, C
/// broadcast to [M, N]. C is required before opset 11 and optional from 11. alpha and beta default to 1.
/// </summary>
sealed class Gemm : IOnnxOperator
{
    public string OpType => "Gemm";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(model.Opset >= 11 ? 2 : 3, 3, 1);
        var (transA, transB) = (node.Int("transA", 0) != 0, node.Int("transB", 0) != 0);
        var (alpha, beta) = (node.Float("alpha", 1f), node.Float("beta", 1f));
        return inputs =>
        {
            var (a, b, c) = (inputs[0]!, inputs[1]!, inputs.Length > 2 ? inputs[2] : null);
            if (a.dim() != 2 || b.dim() != 2) throw node.Error($"takes 2-D A and B, got {OnnxValues.Shape(a)} and {OnnxValues.Shape(b)}");
            if (transA) a = a.t();
            if (transB) b = b.t();
            return [c is null ? a.matmul(b) * alpha : c.addmm(a, b, beta, alpha)];
        };
    }
}
