namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>Cast to the element type named by the attribute to (one of those <see cref="OnnxElementTypes"/> supports).</summary>
sealed class Cast : IOnnxOperator
{
    public string OpType => "Cast";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(1, 1, 1);
        var to = node.RequiredInt("to");
        if (!OnnxElementTypes.TryGet((int)to, out var type, out _))
            throw node.Error($"casts to {OnnxElementTypes.Name((int)to)}; supported: {OnnxElementTypes.Supported}");
        return inputs => [inputs[0]!.to(type)];
    }
}
