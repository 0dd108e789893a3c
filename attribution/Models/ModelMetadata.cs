using System.Text.Json;
using System.Text.Json.Serialization;
using Saliency.Attribution.Data;

namespace Saliency.Attribution.Models;

/// <summary>
/// The JSON file beside a model a user brings (<c>MODEL.json</c> or <c>MODEL.EXT.json</c>):
/// <c>{"architecture": "resnet18", "input": [3, 224, 224], "mean": [...], "std": [...], "classes": [...],
/// "preprocess": {"resize": 256, "crop": 224}}</c>.
/// Every field is optional; options given on the command line take precedence.
/// </summary>
public sealed record ModelMetadata
{
    [JsonPropertyName("architecture")] public string? Architecture { get; init; }
    [JsonPropertyName("input")] public int[]? Input { get; init; }
    [JsonPropertyName("mean")] public float[]? Mean { get; init; }
    [JsonPropertyName("std")] public float[]? Std { get; init; }
    [JsonPropertyName("classes")] public string[]? Classes { get; init; }
    [JsonPropertyName("num_classes")] public int? NumClasses { get; init; }
    [JsonPropertyName("preprocess")] public ImagePreprocess? Preprocess { get; init; }

    /// <summary>The declared input, or the one a declared crop implies.</summary>
    public ImageShape? DeclaredInput(string source) => InputShape(source) ?? Preprocess?.ImpliedInput;

    public ImageShape? InputShape(string source) => Input switch
    {
        null => null,
        [var c, var h, var w] when c > 0 && h > 0 && w > 0 => new ImageShape(c, h, w),
        _ => throw new ArgumentException($"{source}: 'input' must be [channels, height, width] of positive integers, got [{string.Join(", ", Input)}]"),
    };

    public ModelMetadata Over(ModelMetadata fallback) => new()
    {
        Architecture = Architecture ?? fallback.Architecture,
        Input = Input ?? fallback.Input,
        Mean = Mean ?? fallback.Mean,
        Std = Std ?? fallback.Std,
        Classes = Classes ?? fallback.Classes,
        NumClasses = NumClasses ?? fallback.NumClasses,
        Preprocess = Preprocess ?? fallback.Preprocess,
    };

    static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static ModelMetadata? FindBeside(string modelPath)
    {
        foreach (var candidate in new[] { modelPath + ".json", Path.ChangeExtension(modelPath, ".json") })
            if (candidate != modelPath && File.Exists(candidate))
                return Read(candidate);
        return null;
    }

    public static ModelMetadata Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ModelMetadata>(File.ReadAllText(path), Strict)
                ?? throw new InvalidDataException($"{path}: empty model metadata");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid model metadata: {JsonErrors.Where(e)}", e);
        }
    }
}
