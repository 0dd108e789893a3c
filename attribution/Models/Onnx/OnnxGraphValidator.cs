using Saliency.Attribution.Models.Onnx.Operators;

namespace Saliency.Attribution.Models.Onnx;

/// <summary>
/// Checks, when a model loads, that its graph is one this interpreter runs: a supported opset, one image input and one
/// output, only supported operators of the ONNX domain, every value produced once and before it is read; and returns the
/// nodes in an order that evaluates each after its inputs (Kahn's topological sort). A graph with a cycle, or a node that
/// reads a value nothing produces, is refused here rather than when it first runs.
/// </summary>
static class OnnxGraphValidator
{
    public static IReadOnlyList<OnnxNode> Validate(OnnxGraph graph)
    {
        var file = $"model file {graph.Source}";
        if (graph.Opset < OnnxOperators.MinOpset || graph.Opset > OnnxOperators.MaxOpset)
            throw new InvalidDataException($"{file} uses ONNX opset {graph.Opset}; supported: {OnnxOperators.MinOpset} to {OnnxOperators.MaxOpset} (re-export with an opset in that range)");
        foreach (var node in graph.Nodes)
        {
            if (node.Domain is not ("" or "ai.onnx"))
                throw node.Error($"is in the domain {OnnxNames.Show(node.Domain)}; only operators of the ONNX domain (ai.onnx) are supported");
            if (!OnnxOperators.All.ContainsKey(node.OpType))
                throw node.Error($"operator {OnnxNames.Show(node.OpType)} is not supported at opset {graph.Opset} " +
                    $"(supported: {string.Join(", ", OnnxOperators.All.Keys.Order(StringComparer.Ordinal))})");
        }
        if (graph.Inputs.Count != 1)
            throw new InvalidDataException($"{file} has {graph.Inputs.Count} inputs besides its initialisers " +
                $"({string.Join(", ", graph.Inputs.Take(8).Select(i => OnnxNames.Show(i.Name)))}); an image classifier takes one, the images");
        if (graph.Outputs.Count != 1)
            throw new InvalidDataException($"{file} has {graph.Outputs.Count} outputs " +
                $"({string.Join(", ", graph.Outputs.Take(8).Select(o => OnnxNames.Show(o.Name)))}); an image classifier gives one, its scores");

        var input = graph.Inputs[0].Name;
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Nodes.Count; i++)
            foreach (var output in graph.Nodes[i].Outputs.Where(o => o.Length > 0))
                if (output == input || graph.Initialisers.ContainsKey(output) || !producer.TryAdd(output, i))
                    throw graph.Nodes[i].Error($"writes {OnnxNames.Show(output)}, which " +
                        $"{(output == input ? "is the graph's input" : graph.Initialisers.ContainsKey(output) ? "is an initialiser" : "another node writes too")}; a value is written once");

        // Kahn's algorithm over the edges "node reads a value another node writes".
        var waiting = new int[graph.Nodes.Count];
        var readers = new List<int>[graph.Nodes.Count];
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            readers[i] = [];
            foreach (var name in graph.Nodes[i].Inputs.Where(n => n.Length > 0))
            {
                if (producer.TryGetValue(name, out var from)) { waiting[i]++; continue; }
                if (name != input && !graph.Initialisers.ContainsKey(name))
                    throw graph.Nodes[i].Error($"reads {OnnxNames.Show(name)}, which no node, initialiser or graph input produces");
            }
        }
        for (var i = 0; i < graph.Nodes.Count; i++)
            foreach (var name in graph.Nodes[i].Inputs.Where(n => n.Length > 0))
                if (producer.TryGetValue(name, out var from)) readers[from].Add(i);

        var order = new List<OnnxNode>(graph.Nodes.Count);
        var ready = new Queue<int>(Enumerable.Range(0, graph.Nodes.Count).Where(i => waiting[i] == 0));
        while (ready.TryDequeue(out var next))
        {
            order.Add(graph.Nodes[next]);
            foreach (var reader in readers[next])
                if (--waiting[reader] == 0) ready.Enqueue(reader);
        }
        if (order.Count < graph.Nodes.Count)
        {
            var stuck = Enumerable.Range(0, graph.Nodes.Count).Where(i => waiting[i] > 0).Select(i => graph.Nodes[i].Describe).ToArray();
            throw new InvalidDataException($"{file}: the graph has a cycle, so its nodes cannot be put in an order: {stuck.Length} " +
                $"node(s) lie on it or wait for it ({string.Join(", ", stuck.Take(5))}{(stuck.Length > 5 ? ", ..." : "")})");
        }

        var result = graph.Outputs[0].Name;
        if (!producer.ContainsKey(result) && result != input && !graph.Initialisers.ContainsKey(result))
            throw new InvalidDataException($"{file}: the graph's output {OnnxNames.Show(result)} is produced by no node");
        return order;
    }
}
