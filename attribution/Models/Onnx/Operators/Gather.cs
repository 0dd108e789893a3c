using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// Gather: the entries of data along axis (default 0) at the given indices (negative ones count from the end); the result's
/// shape is data's with that axis replaced by the indices' shape (dropped for a scalar index).
/// </summary>
sealed class Gather : IOnnxOperator
{
    public string OpType => "Gather";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(2, 2, 1);
        var axis = node.Int("axis", 0);
        return inputs =>
        {
            var (data, indices) = (inputs[0]!, inputs[1]!);
            var at = OnnxValues.Axis(axis, data.dim(), node);
            var size = data.shape[at];
            var flat = indices.to(ScalarType.Int64).flatten();
            flat = where(flat < 0, flat + size, flat);
            var shape = data.shape.Take((int)at).Concat(indices.shape).Concat(data.shape.Skip((int)at + 1)).ToArray();
            return [data.index_select(at, flat).reshape(shape)];
        };
    }
}
