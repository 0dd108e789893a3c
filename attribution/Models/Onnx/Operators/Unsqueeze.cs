namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// Unsqueeze and Squeeze: insert dimensions of 1 at the given axes (of the output), or remove them (all dimensions of 1 when
/// no axes are given, Squeeze only). Before opset 13 the axes are an attribute; from 13 they are the second input.
/// </summary>
sealed class Unsqueeze(bool squeeze) : IOnnxOperator
{
    public string OpType => squeeze ? "Squeeze" : "Unsqueeze";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        Func<TorchSharp.torch.Tensor?[], long[]?> axesOf;
        if (model.Opset < 13)
        {
            node.RequireArity(1, 1, 1);
            var axes = node.Ints("axes");
            if (axes is null && !squeeze) throw node.Error("attribute 'axes' is required before opset 13");
            axesOf = _ => axes;
        }
        else
        {
            node.RequireArity(squeeze ? 1 : 2, 2, 1);
            axesOf = OnnxValues.OptionalLongs(node, model, 1);
        }
        return inputs =>
        {
            var x = inputs[0]!;
            var axes = axesOf(inputs);
            if (squeeze)
            {
                if (axes is null) return [x.squeeze()];
                foreach (var axis in axes.Select(a => OnnxValues.Axis(a, x.dim(), node)).Distinct().OrderDescending())
                    x = x.shape[axis] == 1 ? x.squeeze(axis) : throw node.Error($"axis {axis} has {x.shape[axis]} entries, not 1");
                return [x];
            }
            var rank = x.dim() + axes!.Length;
            foreach (var axis in axes.Select(a => OnnxValues.Axis(a, rank, node)).Order())
                x = x.unsqueeze(axis);
            return [x];
        };
    }
}
