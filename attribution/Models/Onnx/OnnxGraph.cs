namespace Saliency.Attribution.Models.Onnx;

/// <summary>The one input or output of a graph: its name, element type and dimensions (null where symbolic or unknown).</summary>
sealed record OnnxValue(string Name, int ElementType, long?[]? Dims);

/// <summary>
/// An ONNX model as read from its file, before any check of what it computes: the default domain's opset, the graph's
/// inputs (initialisers excluded), outputs, nodes in file order and initialisers.
/// </summary>
sealed record OnnxGraph(
    string Source,
    long IrVersion,
    long Opset,
    IReadOnlyDictionary<string, long> OtherOpsets,
    IReadOnlyList<OnnxValue> Inputs,
    IReadOnlyList<OnnxValue> Outputs,
    IReadOnlyList<OnnxNode> Nodes,
    IReadOnlyDictionary<string, OnnxTensorData> Initialisers);
