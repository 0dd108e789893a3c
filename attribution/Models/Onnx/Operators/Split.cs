namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// Split along axis (default 0) into the node's outputs: by the sizes given (an attribute before opset 13, the optional
/// second input from 13), else into equal parts; from opset 18 num_outputs parts of ⌈size / num_outputs⌉, the last smaller.
/// </summary>
sealed class Split : IOnnxOperator
{
    public string OpType => "Split";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        var outputs = node.Outputs.Count;
        Func<TorchSharp.torch.Tensor?[], long[]?> sizesOf;
        if (model.Opset < 13)
        {
            node.RequireArity(1, 1, outputs);
            var split = node.Ints("split");
            sizesOf = _ => split;
        }
        else
        {
            node.RequireArity(1, 2, outputs);
            sizesOf = OnnxValues.OptionalLongs(node, model, 1);
        }
        var ceiling = model.Opset >= 18;
        if (ceiling && node.Input(1).Length == 0 && node.Int("num_outputs", outputs) != outputs)
            throw node.Error($"num_outputs {node.Int("num_outputs", outputs)} differs from its {outputs} outputs");
        var axis = node.Int("axis", 0);
        return inputs =>
        {
            var x = inputs[0]!;
            var at = OnnxValues.Axis(axis, x.dim(), node);
            var length = x.shape[at];
            var sizes = sizesOf(inputs);
            if (sizes is null)
            {
                if (!ceiling && length % outputs != 0) throw node.Error($"cannot split {length} entries into {outputs} equal parts");
                var part = (length + outputs - 1) / outputs;
                sizes = Enumerable.Range(0, outputs).Select(i => Math.Max(0, Math.Min(part, length - i * part))).ToArray();
            }
            if (sizes.Length != outputs || sizes.Sum() != length || sizes.Any(s => s < 0))
                throw node.Error($"split [{string.Join(", ", sizes)}] does not divide {length} entries among {outputs} outputs");
            return x.split(sizes, at);
        };
    }
}
