using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// Softmax and LogSoftmax, whose axis changed meaning at opset 13. Before 13 (axis default 1) the input is read as a
/// matrix, the dimensions before axis as rows and those from axis on as one row of values, so the softmax runs over all of
/// them together; from 13 (axis default −1) it runs over the one axis.
/// </summary>
sealed class Softmax(string opType, bool log) : IOnnxOperator
{
    public string OpType => opType;

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(1, 1, 1);
        var coerced = model.Opset < 13;
        var axis = node.Int("axis", coerced ? 1 : -1);
        return inputs =>
        {
            var x = inputs[0]!;
            var at = OnnxValues.Axis(axis, x.dim(), node);
            if (!coerced) return [Apply(x, at)];
            var rows = x.shape.Take((int)at).Aggregate(1L, (p, d) => p * d);
            return [Apply(x.reshape(rows, -1), 1).reshape(x.shape)];
        };
    }

    Tensor Apply(Tensor x, long axis) => log ? x.log_softmax(axis) : x.softmax(axis);
}
