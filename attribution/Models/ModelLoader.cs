using System.IO.Compression;
using System.Text.Json;
using Saliency.Attribution.Models.Onnx;
using Saliency.Attribution.Models.PhotosPlanted;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models;

/// <summary>
/// Resolves a model reference: a built-in model (<c>fashion-cnn</c>, <c>fashion-planted</c>, <c>photos-planted</c>), an <c>untrained:ARCH</c> network
/// (<see cref="UntrainedModels"/>), a TorchScript file, an ONNX file (<see cref="OnnxModel"/>, by its extension), or weights
/// (safetensors or a PyTorch state dict) for an architecture the project knows.
/// </summary>
public static class ModelLoader
{
    public const string WeightsFolderVariable = "SALIENCY_MODELS";

    public static IReadOnlyList<string> Architectures { get; } =
        new[] { FashionCnn.BuiltInName, "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "mobilenet_v2" };

    /// <summary>
    /// What a model reference declares, without loading any network: <paramref name="overrides"/> (a spec's or the command
    /// line's) over the untrained network's own declaration or the JSON beside a model file, and for an ONNX file the input
    /// shape its graph states when neither gives one. The one rule both the loader and a coordinator that only lists images
    /// follow.
    /// </summary>
    public static ModelMetadata Declared(string reference, ModelMetadata? overrides = null)
    {
        var own = UntrainedModels.Names(reference) ? UntrainedModels.Metadata(reference)
            : (File.Exists(reference) ? ModelMetadata.FindBeside(reference) : null) ?? new ModelMetadata();
        var declared = (overrides ?? new ModelMetadata()).Over(own);
        if (OnnxModel.Names(reference) && File.Exists(reference) && declared.DeclaredInput(reference) is null
            && OnnxModel.DeclaredInput(reference) is { } graphInput)
            declared = declared with { Input = [graphInput.Channels, graphInput.Height, graphInput.Width] };
        return declared;
    }

    /// <summary>
    /// The trained networks whose weights ship in <see cref="ModelsFolder"/> as <c>NAME.safetensors</c>: two
    /// <see cref="FashionCnn"/>s, and <c>photos-planted</c>'s head (<see cref="PhotosPlantedModel"/>).
    /// </summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = [FashionCnn.BuiltInName, Data.Planted.PlantedFashion.Name, Data.Planted.PlantedPhotographs.Name];

    /// <summary>What a built-in model declares, without loading it; null for any other reference.</summary>
    public static ModelSpec? BuiltInSpec(string reference) =>
        reference == Data.Planted.PlantedPhotographs.Name ? PhotosPlantedModel.Spec
        : BuiltInNames.Contains(reference) ? FashionCnn.SpecNamed(reference)
        : null;

    /// <summary>True for references that name no file: the built-in models and <c>untrained:ARCH</c>.</summary>
    public static bool IsBuiltIn(string reference) => BuiltInNames.Contains(reference) || UntrainedModels.Names(reference);

    /// <summary>Where the built-in models' files lie: <c>$SALIENCY_MODELS</c>, or <c>models/</c> beside the program.</summary>
    public static string ModelsFolder =>
        Environment.GetEnvironmentVariable(WeightsFolderVariable) is { Length: > 0 } folder ? folder : Path.Combine(AppContext.BaseDirectory, "models");

    public static string BuiltInWeightsPath => BuiltInWeightsPathOf(FashionCnn.BuiltInName);

    public static string BuiltInWeightsPathOf(string name) => Path.Combine(ModelsFolder, name + ".safetensors");

    /// <param name="reference">A built-in name or a model file path.</param>
    /// <param name="overrides">Metadata given as options; wins over the file beside the model.</param>
    /// <param name="device">A resolved device the model runs on; the CPU when null.</param>
    /// <param name="trustTorchScript">False refuses a TorchScript file, judged by the bytes that would be loaded.</param>
    public static ImageClassifier Load(string reference, ModelMetadata? overrides = null, ComputeDevice? device = null, bool trustTorchScript = true)
    {
        RequireFound(reference);
        if (reference == Data.Planted.PlantedPhotographs.Name)
            return PhotosPlantedModel.Load(BuiltInWeightsPathOf(reference), device);
        if (BuiltInNames.Contains(reference))
            return LoadBuiltIn(BuiltInWeightsPathOf(reference), device, reference);
        if (UntrainedModels.Names(reference))
            return UntrainedModels.Load(reference, overrides, device);

        var metadata = Declared(reference, overrides);
        // An ONNX file is read, checked and bounded by its own reader. Any other is read once: the format, the checks and the
        // loader all see these bytes, whatever happens to the file meanwhile.
        ModelFormat format;
        nn.Module network;
        if (OnnxModel.Names(reference)) (format, network) = (ModelFormat.Onnx, OnnxModel.Load(reference));
        else
        {
            var file = ModelFile.Read(reference);
            format = DetectFormat(file, reference);
            if (format == ModelFormat.TorchScript && !trustTorchScript) throw TorchScriptRefused(reference);
            network = format == ModelFormat.TorchScript ? LoadTorchScript(file, reference) : LoadWeights(file, reference, format, metadata);
        }
        var classes = metadata.Classes ?? Array.Empty<string>();
        var architecture = format switch
        {
            ModelFormat.TorchScript => "torchscript",
            ModelFormat.Onnx => "onnx",
            _ => metadata.Architecture,
        };
        var spec = new ModelSpec(Path.GetFileName(reference), metadata.DeclaredInput(reference), metadata.Mean, metadata.Std, classes,
            architecture, metadata.Preprocess);
        try { return new ImageClassifier(spec, network, device); }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Why a silo that does not trust TorchScript refuses a model: one message, wherever it is found.</summary>
    public static UnauthorizedAccessException TorchScriptRefused(string reference) => new(
        $"model file {reference} is TorchScript, which runs operations of its own choosing, and this silo does not load TorchScript " +
        "(Saliency:TrustTorchScript false): give the model as safetensors weights with its architecture");

    /// <summary>Refuses, as <see cref="Load"/> would, a reference that names no built-in model and no file here, without loading anything.</summary>
    public static void RequireFound(string reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
            throw new ArgumentException($"model reference is empty: name a built-in model ({string.Join(", ", BuiltInNames)}) or a model file");
        if (IsBuiltIn(reference)) return;
        if (!File.Exists(reference))
            throw new FileNotFoundException($"model file not found: {reference} (built-in models: {string.Join(", ", BuiltInNames)}, {UntrainedModels.Prefix}ARCH)", reference);
    }

    /// <param name="name">The built-in model the weights are of, which names the model's spec.</param>
    public static ImageClassifier LoadBuiltIn(string weightsPath, ComputeDevice? device = null, string name = FashionCnn.BuiltInName)
    {
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException(
                $"weights of the built-in model '{name}' not found at {weightsPath} (run 'saliency train{(name == FashionCnn.BuiltInName ? "" : " --planted")}' to produce them)", weightsPath);
        var file = ModelFile.Read(weightsPath);
        SafetensorsHeader.Require(file, weightsPath);
        var network = new FashionCnn();
        LoadInto(network, file, weightsPath, ModelFormat.Safetensors);
        return new ImageClassifier(FashionCnn.SpecNamed(name), network, device);
    }

    /// <summary>Whether <paramref name="reference"/> is a TorchScript file, which runs code of its own when loaded; false for built-in models and for files that are not there or not models.</summary>
    public static bool IsTorchScript(string reference)
    {
        if (IsBuiltIn(reference) || !File.Exists(reference)) return false;
        // Not opened at all above the cap: Load refuses such a file, whatever its format.
        if (new FileInfo(reference).Length > ModelFile.MaxBytes) return false;
        try
        {
            using var file = File.OpenRead(reference);
            return DetectFormat(file, reference) == ModelFormat.TorchScript;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { return false; }
    }

    enum ModelFormat { TorchScript, Safetensors, PickledStateDict, Onnx }

    static ModelFormat DetectFormat(byte[] file, string path)
    {
        using var stream = new MemoryStream(file, writable: false);
        return DetectFormat(stream, path);
    }

    static ModelFormat DetectFormat(Stream file, string path)
    {
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return ModelFormat.Safetensors;
        if (OnnxModel.Names(path)) return ModelFormat.Onnx;
        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            // TorchScript archives carry the module's code; torch.save state dicts carry only data.pkl and tensors.
            return zip.Entries.Any(e => e.FullName.Contains("/code/", StringComparison.Ordinal) || e.FullName.EndsWith("constants.pkl", StringComparison.Ordinal))
                ? ModelFormat.TorchScript
                : ModelFormat.PickledStateDict;
        }
        catch (InvalidDataException)
        {
            // torch.save's legacy format is a bare pickle, which opens with the PROTO opcode.
            file.Position = 0;
            return file.ReadByte() switch
            {
                0x80 => ModelFormat.PickledStateDict,
                -1 => throw new InvalidDataException($"model file {path} is empty"),
                _ => throw new InvalidDataException(
                    $"model file {path} is not a model: neither TorchScript nor a torch.save state dict (a zip archive or a pickle), and not named .safetensors or .onnx"),
            };
        }
    }

    static nn.Module LoadTorchScript(byte[] file, string path)
    {
        try { return jit.load<Tensor, Tensor>(file); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"model file {path} could not be loaded as TorchScript: {FirstLine(e.Message)}", e);
        }
    }

    static nn.Module LoadWeights(byte[] file, string path, ModelFormat format, ModelMetadata metadata)
    {
        // Before the header is read for a class count, or a tensor allocated. Unpickling calls whatever the pickle
        // names, and allocates what its tensors declare: nothing unpickles a file before it is checked.
        if (format == ModelFormat.Safetensors) SafetensorsHeader.Require(file, path);
        else PickleGuard.RequireStateDict(file, path);
        var architecture = metadata.Architecture
            ?? throw new ArgumentException($"model file {path} holds weights only: name its architecture ({string.Join(", ", Architectures)}) in {path}.json or as an option");
        var classes = metadata.NumClasses ?? metadata.Classes?.Length
            ?? (format == ModelFormat.Safetensors ? SafetensorsClassCount(file, path) : null);
        var network = Create(architecture, classes, path);
        LoadInto(network, file, path, format);
        return network;
    }

    public static nn.Module<Tensor, Tensor> Create(string architecture, int? classes, string source = "model") => architecture switch
    {
        FashionCnn.BuiltInName => new FashionCnn(classes ?? 10),
        "resnet18" => torchvision.models.resnet18(classes ?? 1000),
        "resnet34" => torchvision.models.resnet34(classes ?? 1000),
        "resnet50" => torchvision.models.resnet50(classes ?? 1000),
        "resnet101" => torchvision.models.resnet101(classes ?? 1000),
        "resnet152" => torchvision.models.resnet152(classes ?? 1000),
        "mobilenet_v2" => torchvision.models.mobilenet_v2(classes ?? 1000),
        _ => throw new ArgumentException($"{source}: unknown architecture '{architecture}' (known: {string.Join(", ", Architectures)})"),
    };

    /// <param name="file">The bytes checked, handed to TorchSharp.PyBridge as a stream: it never opens the file itself.</param>
    static void LoadInto(nn.Module network, byte[] file, string path, ModelFormat format)
    {
        try
        {
            using var stream = new MemoryStream(file, writable: false);
            if (format == ModelFormat.Safetensors) network.load_safetensors(stream);
            else network.load_py(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"model file {path} could not be loaded as {(format == ModelFormat.Safetensors ? "safetensors" : "a PyTorch state dict")}: {FirstLine(e.Message)}", e);
        }
    }

    /// <summary>Reads the class count from the final layer's weight shape in a safetensors header.</summary>
    /// <remarks>After <see cref="SafetensorsHeader.Require"/>, which bounds the header within the file.</remarks>
    static int? SafetensorsClassCount(byte[] file, string path)
    {
        try
        {
            var length = BitConverter.ToInt64(file, 0);
            using var json = JsonDocument.Parse(file.AsMemory(8, (int)length));
            foreach (var name in new[] { "fc.weight", "classifier.weight", "classifier.1.weight" })
                if (json.RootElement.TryGetProperty(name, out var entry))
                    return entry.GetProperty("shape")[0].GetInt32();
            return null;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"model file {path} is not a valid safetensors file: its header is {JsonErrors.Where(e)}", e);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new InvalidDataException($"model file {path} is not a valid safetensors file: its header cannot be read", e);
        }
    }

    static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
