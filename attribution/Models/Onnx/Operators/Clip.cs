using TorchSharp;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// Clip (ReLU6 and the like): before opset 11 the bounds are the attributes min and max (defaults: the float range); from
/// opset 11 they are the optional second and third inputs, scalars, and a bound left out does not clip.
/// </summary>
sealed class Clip : IOnnxOperator
{
    public string OpType => "Clip";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        if (model.Opset < 11)
        {
            node.RequireArity(1, 1, 1);
            var (low, high) = (node.Float("min", float.MinValue), node.Float("max", float.MaxValue));
            return inputs => [inputs[0]!.clamp(low, high)];
        }
        node.RequireArity(1, 3, 1);
        var (min, max) = (Bound(node, model, 1), Bound(node, model, 2));
        return inputs =>
        {
            var (x, lower, upper) = (inputs[0]!, min(inputs), max(inputs));
            return [lower is null && upper is null ? x : x.clamp(lower, upper)];
        };
    }

    /// <summary>A bound known when the model loads is read once; one computed by the graph is read as it runs.</summary>
    static Func<Tensor?[], Scalar?> Bound(OnnxNode node, IOnnxCompilation model, int index)
    {
        var name = node.Input(index);
        if (name.Length == 0) return _ => null;
        if (model.Known(name) is { } known)
        {
            if (known.ElementCount != 1) throw node.Error($"bound {OnnxNames.Show(name)} is not a scalar");
            var value = known.IsFloatingPoint ? known.AsDoubles()[0] : known.AsLongs()[0];
            return _ => value;
        }
        return inputs => OnnxValues.Scalar(inputs[index]!);
    }
}
