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

    /// <param name="output">
    /// A value the graph computes, to return in place of the graph's output (a backbone's inner block rather than its
    /// pooled features); the graph's own output when null. Only the nodes and initialisers that value needs are kept.
    /// </param>
    public static OnnxModule Load(string path, OnnxLimits? limits = null, string? output = null)
    {
        var graph = OnnxReader.Read(path, limits ?? OnnxLimits.Default);
        if (output is not null) graph = Truncated(graph, output);
        var order = OnnxGraphValidator.Validate(graph);
        return new OnnxModule(graph, order);
    }

    /// <summary>The part of <paramref name="graph"/> that computes <paramref name="output"/>, with that as its output.</summary>
    static OnnxGraph Truncated(OnnxGraph graph, string output)
    {
        var producers = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
            foreach (var name in node.Outputs.Where(n => n.Length > 0))
                producers.TryAdd(name, node);
        if (!producers.ContainsKey(output))
            throw new InvalidDataException($"model file {graph.Source}: no node computes {OnnxNames.Show(output)}");
        var needed = new HashSet<OnnxNode>(ReferenceEqualityComparer.Instance);
        var values = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([output]);
        while (pending.TryPop(out var value))
        {
            if (!values.Add(value) || !producers.TryGetValue(value, out var node) || !needed.Add(node)) continue;
            foreach (var input in node.Inputs.Where(n => n.Length > 0)) pending.Push(input);
        }
        var outputType = graph.Outputs.Count > 0 ? graph.Outputs[0].ElementType : 1;
        return graph with
        {
            Outputs = [new OnnxValue(output, outputType, null)],
            Nodes = graph.Nodes.Where(needed.Contains).ToArray(),
            Initialisers = graph.Initialisers.Where(i => values.Contains(i.Key)).ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal),
        };
    }
}
