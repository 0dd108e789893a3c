using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>An operator applied element by element, with NumPy broadcasting for two inputs (ONNX's rule from opset 7).</summary>
sealed class Elementwise(string opType, int arity, Func<OnnxNode, Func<Tensor[], Tensor>> compile) : IOnnxOperator
{
    public string OpType => opType;

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(arity, arity, 1);
        var apply = compile(node);
        return inputs => [apply(inputs!)];
    }
}

/// <summary>
/// The elementwise operators, one entry each. Their meaning is the same at every opset from 7 to 18 (later versions only
/// widened the types they take). Div of integers truncates toward zero, as ONNX's reference does.
/// </summary>
static class ElementwiseOperators
{
    public static IEnumerable<IOnnxOperator> All =>
    [
        new Elementwise("Identity", 1, _ => x => x[0]),
        new Elementwise("Relu", 1, _ => x => nn.functional.relu(x[0])),
        new Elementwise("LeakyRelu", 1, node =>
        {
            var alpha = node.Float("alpha", 0.01f);
            return x => nn.functional.leaky_relu(x[0], alpha);
        }),
        new Elementwise("Sigmoid", 1, _ => x => x[0].sigmoid()),
        new Elementwise("Tanh", 1, _ => x => x[0].tanh()),
        new Elementwise("Add", 2, _ => x => x[0] + x[1]),
        new Elementwise("Sub", 2, _ => x => x[0] - x[1]),
        new Elementwise("Mul", 2, _ => x => x[0] * x[1]),
        new Elementwise("Div", 2, _ => x => x[0].is_floating_point() ? x[0] / x[1] : x[0].div(x[1], RoundingMode.trunc)),
        new Elementwise("MatMul", 2, _ => x => x[0].matmul(x[1])),
    ];
}
