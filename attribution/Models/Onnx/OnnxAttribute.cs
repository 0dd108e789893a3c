namespace Saliency.Attribution.Models.Onnx;

/// <summary>The kinds of attribute value the operators here read; graphs, sparse tensors and type protos
/// are kept only as their kind, so a node that has one is refused by the operator that would need it.</summary>
enum OnnxAttributeKind { Float, Int, String, Tensor, Floats, Ints, Strings, Other }

/// <summary>One attribute of a node, as read from the file.</summary>
sealed record OnnxAttribute(string Name, OnnxAttributeKind Kind)
{
    public float Float { get; init; }
    public long Int { get; init; }
    public string String { get; init; } = "";
    public OnnxTensorData? Tensor { get; init; }
    public IReadOnlyList<float> Floats { get; init; } = [];
    public IReadOnlyList<long> Ints { get; init; } = [];
    public IReadOnlyList<string> Strings { get; init; } = [];
    /// <summary>The file's name for the kind, for messages (FLOAT, INTS, GRAPH, ...).</summary>
    public string KindName { get; init; } = "";
}
