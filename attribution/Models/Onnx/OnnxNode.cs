namespace Saliency.Attribution.Models.Onnx;

/// <summary>
/// One node of an ONNX graph: its operator, inputs and outputs by name ("" for an optional input left out), and its
/// attributes. The typed accessors refuse a wrong kind of attribute with a message naming the file, node and operator.
/// </summary>
sealed record OnnxNode(
    string Source,
    int Index,
    string Name,
    string OpType,
    string Domain,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    /// <summary>How messages name this node: by name, or by position and first output when it has no name.</summary>
    public string Describe =>
        Name.Length > 0 ? $"node {OnnxNames.Show(Name)} ({OnnxNames.Show(OpType).Trim('\'')})"
        : $"node #{Index} ({OnnxNames.Show(OpType).Trim('\'')}, output {OnnxNames.Show(Outputs.Count > 0 ? Outputs[0] : "")})";

    public InvalidDataException Error(string message) => new($"model file {Source}: {Describe}: {message}");

    /// <summary>The input at <paramref name="index"/>, or "" when the node leaves it out.</summary>
    public string Input(int index) => index < Inputs.Count ? Inputs[index] : "";

    public bool Has(string attribute) => Attributes.ContainsKey(attribute);

    public long Int(string name, long fallback) => Get(name, OnnxAttributeKind.Int)?.Int ?? fallback;

    public long RequiredInt(string name) => Get(name, OnnxAttributeKind.Int)?.Int ?? throw Error($"attribute '{name}' is required");

    public float Float(string name, float fallback) => Get(name, OnnxAttributeKind.Float)?.Float ?? fallback;

    public string String(string name, string fallback) => Get(name, OnnxAttributeKind.String)?.String ?? fallback;

    public long[]? Ints(string name) => Get(name, OnnxAttributeKind.Ints)?.Ints.ToArray();

    public float[]? Floats(string name) => Get(name, OnnxAttributeKind.Floats)?.Floats.ToArray();

    public OnnxTensorData? Tensor(string name) => Get(name, OnnxAttributeKind.Tensor)?.Tensor;

    OnnxAttribute? Get(string name, OnnxAttributeKind kind)
    {
        if (!Attributes.TryGetValue(name, out var attribute)) return null;
        return attribute.Kind == kind ? attribute
            : throw Error($"attribute '{name}' is {attribute.KindName}, not {kind.ToString().ToUpperInvariant()}");
    }

    /// <summary>Refuses a node with fewer or more inputs than the operator takes, or more outputs than it gives.</summary>
    public void RequireArity(int minInputs, int maxInputs, int maxOutputs)
    {
        var given = Inputs.Count;
        if (given < minInputs || given > maxInputs || Enumerable.Range(0, minInputs).Any(i => Inputs[i].Length == 0))
            throw Error(minInputs == maxInputs ? $"takes {minInputs} input(s), got {given}" : $"takes {minInputs} to {maxInputs} inputs, got {given}");
        if (Outputs.Count == 0 || Outputs[0].Length == 0)
            throw Error("has no output");
        for (var i = maxOutputs; i < Outputs.Count; i++)
            if (Outputs[i].Length > 0)
                throw Error($"output {i + 1} ({OnnxNames.Show(Outputs[i])}) is not computed here: only {maxOutputs} output(s) at inference");
    }
}
