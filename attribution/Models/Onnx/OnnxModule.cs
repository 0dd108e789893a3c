using Saliency.Attribution.Models.Onnx.Operators;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx;

/// <summary>
/// An ONNX graph run as TorchSharp operations, so autograd flows through it to the input: the initialisers and constants
/// are held as frozen parameters (floating point) and buffers (integers), and each node's compiled computation
/// (<see cref="IOnnxOperator"/>) runs in an order where its inputs come first. Every node's first output passes through a
/// module of its own, so a hook can read or replace that activation (Grad-CAM, by node or output name). An output shaped
/// [N, C, 1, …, 1], pooled features, is returned as [N, C].
/// </summary>
public sealed class OnnxModule : nn.Module<Tensor, Tensor>, INamedLayers
{
    readonly Step[] steps;
    readonly string input, output;
    readonly Dictionary<string, string> heldNames = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> layers = new(StringComparer.Ordinal);
    readonly List<string> layerNames = [];

    sealed record Step(OnnxNode Node, OnnxKernel Kernel, LayerOutput Output);

    /// <summary>The identity, as a module: the place a hook reads one node's activation.</summary>
    sealed class LayerOutput() : nn.Module<Tensor, Tensor>("output")
    {
        public override Tensor forward(Tensor activation) => activation;
    }

    internal OnnxModule(OnnxGraph graph, IReadOnlyList<OnnxNode> order) : base(Path.GetFileName(graph.Source))
    {
        Source = graph.Source;
        Opset = graph.Opset;
        (input, output) = (graph.Inputs[0].Name, graph.Outputs[0].Name);
        try
        {
            foreach (var (name, value) in graph.Initialisers) Hold(name, value);
            var compilation = new Compilation(this, graph);
            steps = new Step[order.Count];
            for (var i = 0; i < order.Count; i++)
            {
                var node = order[i];
                steps[i] = new Step(node, OnnxOperators.All[node.OpType].Compile(node, compilation), new LayerOutput());
                foreach (var name in new[] { node.Name, node.Outputs[0] }.Where(n => n.Length > 0 && !layers.ContainsKey(n)))
                {
                    layers[name] = i;
                    layerNames.Add(name);
                }
            }
        }
        catch
        {
            // The tensors held so far are native memory: a model refused while it compiles gives them back.
            Dispose();
            throw;
        }
        DefaultLayer = steps.LastOrDefault(s => s.Node.OpType == "Conv") is { } last ? (last.Node.Name.Length > 0 ? last.Node.Name : last.Node.Outputs[0]) : null;
    }

    /// <summary>The file the graph was read from.</summary>
    public string Source { get; }

    /// <summary>The ONNX domain's opset the file imports.</summary>
    public long Opset { get; }

    public IReadOnlyList<string> LayerNames => layerNames;

    public string? DefaultLayer { get; }

    public nn.Module<Tensor, Tensor>? Layer(string name) => layers.TryGetValue(name, out var index) ? steps[index].Output : null;

    public override Tensor forward(Tensor images)
    {
        var values = new Dictionary<string, Tensor>(heldNames.Count + steps.Length + 1, StringComparer.Ordinal);
        foreach (var (key, parameter) in named_parameters(recurse: false)) values[heldNames[key]] = parameter;
        foreach (var (key, buffer) in named_buffers(recurse: false)) values[heldNames[key]] = buffer;
        values[input] = images;
        foreach (var step in steps)
        {
            var node = step.Node;
            var arguments = new Tensor?[node.Inputs.Count];
            for (var i = 0; i < arguments.Length; i++)
                arguments[i] = node.Inputs[i].Length == 0 ? null : values[node.Inputs[i]];
            Tensor[] results;
            try { results = step.Kernel(arguments); }
            catch (Exception e) when (e is not (InvalidDataException or OutOfMemoryException))
            {
                throw node.Error($"fails on {string.Join(" and ", arguments.Where(a => a is not null).Take(3).Select(a => OnnxValues.Shape(a!)))}: {TorchErrors.Brief(e.Message)}");
            }
            values[node.Outputs[0]] = step.Output.call(results[0]);
            for (var i = 1; i < node.Outputs.Count && i < results.Length; i++)
                if (node.Outputs[i].Length > 0) values[node.Outputs[i]] = results[i];
        }
        var result = values[output];
        return result.dim() > 2 && result.shape.Skip(2).All(d => d == 1) ? result.flatten(1) : result;
    }

    /// <summary>Registers a tensor of the file under a name torch accepts (ONNX names may hold dots and slashes), frozen.</summary>
    Func<Tensor> Hold(string name, OnnxTensorData value)
    {
        var key = $"v{heldNames.Count}";
        heldNames[key] = name;
        var tensor = value.ToTensor();
        if (value.IsFloatingPoint)
        {
            register_parameter(key, new Parameter(tensor, requires_grad: false));
            return () => get_parameter(key)!;
        }
        register_buffer(key, tensor);
        return () => get_buffer(key)!;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var step in steps ?? []) step?.Output.Dispose();
        base.Dispose(disposing);
    }

    sealed class Compilation(OnnxModule module, OnnxGraph graph) : IOnnxCompilation
    {
        readonly Dictionary<string, OnnxTensorData> constants = new(StringComparer.Ordinal);

        public long Opset => graph.Opset;

        public OnnxTensorData? Known(string name) =>
            graph.Initialisers.TryGetValue(name, out var value) || constants.TryGetValue(name, out value) ? value : null;

        public Func<Tensor> Hold(string name, OnnxTensorData value)
        {
            constants[name] = value;
            return module.Hold(name, value);
        }
    }
}
