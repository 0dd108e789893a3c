using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>Concat: its inputs joined along axis (required); negative axes count from the end from opset 11.</summary>
sealed class Concat : IOnnxOperator
{
    public string OpType => "Concat";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(1, int.MaxValue, 1);
        var axis = node.RequiredInt("axis");
        if (axis < 0 && model.Opset < 11) throw node.Error($"axis {axis} is negative, which opsets before 11 do not allow");
        return inputs =>
        {
            var parts = inputs.Where(t => t is not null).Select(t => t!).ToArray();
            return [cat(parts, OnnxValues.Axis(axis, parts[0].dim(), node))];
        };
    }
}
