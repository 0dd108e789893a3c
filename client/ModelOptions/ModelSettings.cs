using System.ComponentModel;
using System.Globalization;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Spectre.Console.Cli;

namespace Saliency.Cli.ModelOptions;

/// <summary>Options every command that runs a model shares: the model, what it declares, its device and threads.</summary>
public class ModelSettings : CommandSettings
{
    [CommandOption("--model <MODEL>"), Description("Built-in model (fashion-cnn, fashion-planted) or a TorchScript / ONNX / safetensors / state-dict file.")]
    [DefaultValue("fashion-cnn")]
    public string Model { get; init; } = "fashion-cnn";

    [CommandOption("--arch <NAME>"), Description("Architecture of a weights file (fashion-cnn, resnet18, resnet34, resnet50, ...).")]
    public string? Architecture { get; init; }

    [CommandOption("--input <C,H,W>"), Description("Input shape the model expects, when no JSON file beside it says so.")]
    public string? Input { get; init; }

    [CommandOption("--mean <M1,M2,...>"), Description("Per-channel mean of the model's normalisation.")]
    public string? Mean { get; init; }

    [CommandOption("--std <S1,S2,...>"), Description("Per-channel standard deviation of the model's normalisation.")]
    public string? Std { get; init; }

    [CommandOption("--threads <N>"), Description("libtorch intra-op threads (default: all cores).")]
    public int? Threads { get; init; }

    [CommandOption("--device <DEVICE>"), Description(DeviceOption.Description)]
    [DefaultValue("cpu")]
    public string Device { get; init; } = "cpu";

    public ImageClassifier LoadModel() => ModelLoader.Load(Model, new ModelMetadata
    {
        Architecture = Architecture,
        Input = Numbers(Input, "--input", int.Parse),
        Mean = Numbers(Mean, "--mean", s => float.Parse(s, CultureInfo.InvariantCulture)),
        Std = Numbers(Std, "--std", s => float.Parse(s, CultureInfo.InvariantCulture)),
    }, ComputeDevice.Resolve(Device));

    /// <summary>Loads the selection, checked against the model's input; <c>expected:k</c> draws from the matching training data.</summary>
    /// <param name="groundTruth">Where a folder's ground-truth masks come from (<c>folder:PATH</c> or <c>boxes:FILE.csv</c>), read with its images.</param>
    public static (ImageSet Images, Func<ImageCatalog> References) LoadImages(string selectionText, ImageClassifier model, string? groundTruth = null)
    {
        var selection = ImageSelection.Parse(selectionText);
        var catalog = selection.Open(model.Spec.Input, model.Spec.Preprocess);
        if (groundTruth is not null)
        {
            if (selection.Kind != ImageSelection.Folder)
                throw new ArgumentException($"--ground-truth goes with a folder of images, and --images {selectionText} is not one");
            catalog = Saliency.Attribution.Data.GroundTruth.GroundTruthSource.Parse(groundTruth).Attach(catalog, model.Spec.Preprocess);
        }
        var images = catalog.ReadAll();
        model.RequireInput(images.Shape, images.Source);
        var references = new Lazy<ImageCatalog>(() => selection.References(model.Spec.Input, model.Spec.Preprocess));
        return (images, () => references.Value);
    }

    static T[]? Numbers<T>(string? text, string option, Func<string, T> parse)
    {
        if (text is null) return null;
        try { return text.Split(',', StringSplitOptions.TrimEntries).Select(parse).ToArray(); }
        catch (FormatException) { throw new FormatException($"{option} '{text}' is not a comma-separated list of numbers"); }
    }
}
