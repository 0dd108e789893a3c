namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>GlobalAveragePool and GlobalMaxPool: the mean or maximum over every axis after the first two, kept as dimensions of 1.</summary>
sealed class GlobalPool(bool maximum) : IOnnxOperator
{
    public string OpType => maximum ? "GlobalMaxPool" : "GlobalAveragePool";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(1, 1, 1);
        return inputs =>
        {
            var x = inputs[0]!;
            if (x.dim() < 3) throw node.Error($"takes an input [N, C, spatial...], got {OnnxValues.Shape(x)}");
            var axes = Enumerable.Range(2, (int)x.dim() - 2).Select(a => (long)a).ToArray();
            return [maximum ? x.amax(axes, keepdim: true) : x.mean(axes, keepdim: true)];
        };
    }
}
