using static TorchSharp.torch;

namespace Saliency.Attribution.Models;

/// <summary>
/// A network whose layers are addressed by names of its own rather than by module paths: an ONNX graph's node and output
/// names. Grad-CAM asks it for the module whose output is a layer's activation, and hooks that module.
/// </summary>
public interface INamedLayers
{
    /// <summary>The names a layer answers to, in the order the network computes them.</summary>
    IReadOnlyList<string> LayerNames { get; }

    /// <summary>The layer Grad-CAM uses when none is named (the last convolution), or null when there is none.</summary>
    string? DefaultLayer { get; }

    /// <summary>The module whose output is the named layer's activation, or null when no layer has that name.</summary>
    nn.Module<Tensor, Tensor>? Layer(string name);
}
