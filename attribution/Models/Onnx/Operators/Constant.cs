using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// Constant: a tensor given as the attribute value, or from opset 12 as value_float, value_floats, value_int or value_ints
/// (a scalar or a 1-D tensor). Strings and sparse tensors are refused. The tensor is held by the module like an initialiser.
/// </summary>
sealed class Constant : IOnnxOperator
{
    public string OpType => "Constant";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(0, 0, 1);
        var given = node.Attributes.Keys.Where(k => k.StartsWith("value", StringComparison.Ordinal) || k == "sparse_value").ToArray();
        if (given.Length != 1) throw node.Error($"gives {given.Length} values; a constant has exactly one");
        var name = node.Outputs[0];
        var value = given[0] switch
        {
            "value" => node.Tensor("value")! with { Name = name },
            "value_float" when model.Opset >= 12 => Scalar(name, ScalarType.Float32, BitConverter.GetBytes(node.Float("value_float", 0)), []),
            "value_int" when model.Opset >= 12 => Scalar(name, ScalarType.Int64, BitConverter.GetBytes(node.Int("value_int", 0)), []),
            "value_floats" when model.Opset >= 12 => Vector(name, ScalarType.Float32, node.Floats("value_floats")!.SelectMany(BitConverter.GetBytes).ToArray(), 4),
            "value_ints" when model.Opset >= 12 => Vector(name, ScalarType.Int64, node.Ints("value_ints")!.SelectMany(BitConverter.GetBytes).ToArray(), 8),
            _ => throw node.Error($"value of kind {OnnxNames.Show(given[0])} is not supported at opset {model.Opset}"),
        };
        var read = model.Hold(name, value);
        return _ => [read()];
    }

    static OnnxTensorData Scalar(string name, ScalarType type, byte[] bytes, long[] shape) => new(name, type, shape, bytes);

    static OnnxTensorData Vector(string name, ScalarType type, byte[] bytes, int size) => new(name, type, [bytes.Length / size], bytes);
}
