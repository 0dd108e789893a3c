namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// ReduceMean over the given axes (all when none), keeping them as dimensions of 1 when keepdims (default 1). Before opset 18
/// the axes are an attribute; from 18 they are an optional second input, and noop_with_empty_axes = 1 makes no axes mean
/// no reduction.
/// </summary>
sealed class ReduceMean : IOnnxOperator
{
    public string OpType => "ReduceMean";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        Func<TorchSharp.torch.Tensor?[], long[]?> axesOf;
        var identityWhenEmpty = false;
        if (model.Opset < 18)
        {
            node.RequireArity(1, 1, 1);
            var axes = node.Ints("axes");
            axesOf = _ => axes;
        }
        else
        {
            node.RequireArity(1, 2, 1);
            axesOf = OnnxValues.OptionalLongs(node, model, 1);
            identityWhenEmpty = node.Int("noop_with_empty_axes", 0) != 0;
        }
        var keep = node.Int("keepdims", 1) != 0;
        return inputs =>
        {
            var x = inputs[0]!;
            var axes = axesOf(inputs);
            if (axes is null || axes.Length == 0)
            {
                if (identityWhenEmpty) return [x];
                axes = Enumerable.Range(0, (int)x.dim()).Select(a => (long)a).ToArray();
            }
            return [x.mean(axes.Select(a => OnnxValues.Axis(a, x.dim(), node)).Distinct().ToArray(), keep)];
        };
    }
}
