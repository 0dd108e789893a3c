using Saliency.Attribution.Data;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// The model a sweep explains: a built-in name or a model file, with what the spec declares about it
/// (architecture, input, normalisation), which wins over a JSON file beside the model.
/// </summary>
public sealed record SweepModel(string Reference, ModelMetadata? Metadata = null)
{
    public static SweepModel BuiltIn { get; } = new(FashionCnn.BuiltInName);

    /// <param name="device">A resolved device; the CPU when null.</param>
    /// <param name="trustTorchScript">False refuses a TorchScript file (<see cref="ModelLoader.Load"/>).</param>
    public ImageClassifier Load(ComputeDevice? device = null, bool trustTorchScript = true) => ModelLoader.Load(Reference, Metadata, device, trustTorchScript);

    /// <summary>
    /// What the model declares about its input, read without loading it (the spec over the JSON beside the model file),
    /// so a coordinator can list and sample images as the workers will decode them.
    /// </summary>
    public (ImageShape? Input, ImagePreprocess? Preprocess) DeclaredInput()
    {
        if (ModelLoader.BuiltInSpec(Reference) is { } builtIn) return (builtIn.Input, builtIn.Preprocess);
        var metadata = ModelLoader.Declared(Reference, Metadata);
        return (metadata.DeclaredInput(Reference), metadata.Preprocess);
    }

    public override string ToString() => Reference;
}
