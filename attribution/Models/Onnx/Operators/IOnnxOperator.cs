using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// The computation of one node: its inputs in the node's order (null for an optional input left out), its outputs in the
/// node's order (only as many as the node names; further ones may be left out).
/// </summary>
delegate Tensor[] OnnxKernel(Tensor?[] inputs);

/// <summary>What compiling a node may ask of the model being built.</summary>
interface IOnnxCompilation
{
    /// <summary>The default domain's opset the model imports: operators whose semantics changed read their attributes by it.</summary>
    long Opset { get; }

    /// <summary>The value of a tensor known when the model loads (an initialiser or a constant's output); null otherwise.</summary>
    OnnxTensorData? Known(string name);

    /// <summary>Keeps <paramref name="value"/> in the module as <paramref name="name"/> (moved to the module's device and floating type with it); returns how a kernel reads it.</summary>
    Func<Tensor> Hold(string name, OnnxTensorData value);
}

/// <summary>
/// One ONNX operator, its semantics in one place: <see cref="Compile"/> reads and checks a node's attributes once, when the
/// model loads, refusing what it does not support with an error naming the node, and returns the node's computation in
/// TorchSharp operations, through which gradients flow.
/// </summary>
interface IOnnxOperator
{
    string OpType { get; }

    OnnxKernel Compile(OnnxNode node, IOnnxCompilation model);
}
