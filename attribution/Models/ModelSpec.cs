using System.Globalization;
using Saliency.Attribution.Data;

namespace Saliency.Attribution.Models;

/// <summary>
/// What a model declares about its input: shape, per-channel normalisation applied to [0, 1] pixels,
/// and class names. A model without a declared shape takes images shaped like the data.
/// </summary>
public sealed record ModelSpec(
    string Name,
    ImageShape? Input,
    float[]? Mean,
    float[]? Std,
    IReadOnlyList<string> ClassNames,
    string? Architecture = null,
    ImagePreprocess? Preprocess = null)
{
    public bool Normalises => Mean is not null && Std is not null;

    public string ClassName(int index) =>
        index >= 0 && index < ClassNames.Count ? ClassNames[index] : index.ToString(CultureInfo.InvariantCulture);

    public void Validate()
    {
        if (Mean is null != Std is null)
            throw new ArgumentException($"model '{Name}': mean and std must be given together");
        if (Std is not null && Std.Any(s => !(s > 0)))
            throw new ArgumentException($"model '{Name}': every std must be positive, got [{string.Join(", ", Std)}]");
        if (Input is { } shape && Mean is not null && Mean.Length != shape.Channels && Mean.Length != 1)
            throw new ArgumentException($"model '{Name}': {Mean.Length} mean values for {shape.Channels} input channels");
        if (Input is { } input) Preprocess?.Validate(input, $"model '{Name}'");
    }
}
