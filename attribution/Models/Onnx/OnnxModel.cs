using Saliency.Attribution.Models.Onnx.Operators;

namespace Saliency.Attribution.Models.Onnx;

/// <summary>
/// Loads an ONNX file as a TorchSharp module: <see cref="OnnxReader"/> reads it, <see cref="OnnxGraphValidator"/> checks it
/// and orders its nodes, and <see cref="OnnxModule"/> compiles each node. Everything a file may get wrong (a truncated file,
/// an unsupported operator or opset, a cycle, a tensor larger than it stores, external data outside its folder) is refused
/// here, when the model loads, with an <see cref="InvalidDataException"/> naming the file.
/// </summary>
public static class OnnxModel
{
    public const string Extension = ".onnx";

    public static int MinOpset => OnnxOperators.MinOpset;

    public static int MaxOpset => OnnxOperators.MaxOpset;

    /// <summary>The operators the interpreter runs, sorted.</summary>
    public static IReadOnlyList<string> Operators { get; } = OnnxOperators.All.Keys.Order(StringComparer.Ordinal).ToArray();

    public static bool Names(string path) => path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase);

    /// <summary>[C, H, W] of the graph's input when the file states all three (without reading its weights); null otherwise.</summary>
    public static Data.ImageShape? DeclaredInput(string path, OnnxLimits? limits = null) =>
        OnnxReader.ReadInput(path, limits ?? OnnxLimits.Default).Dims is [_, { } c, { } h, { } w] ? new Data.ImageShape((int)c, (int)h, (int)w) : null;

    public static OnnxModule Load(string path, OnnxLimits? limits = null)
    {
        var graph = OnnxReader.Read(path, limits ?? OnnxLimits.Default);
        var order = OnnxGraphValidator.Validate(graph);
        return new OnnxModule(graph, order);
    }
}
