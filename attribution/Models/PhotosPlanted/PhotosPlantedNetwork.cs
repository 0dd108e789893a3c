using Saliency.Attribution.Data.Planted;
using Saliency.Attribution.Models.Onnx;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models.PhotosPlanted;

/// <summary>
/// <c>photos-planted</c> as one module from [0, 1] RGB pixels to class scores, so gradients flow to the pixels the project
/// works in: ×255, the backbone's own preprocessing graph (RGB to BGR, less its mean image), the pretrained ResNet-18 up
/// to <see cref="Tap"/> (the end of its second stage, 128 × 28 × 28), and the trained <see cref="MarkHead"/>. The
/// backbone's last stage does not tell a mark from its mirror image (docs/photographs.md), so the head reads the stage
/// whose units are a mark's cell apart. The backbone's layers answer to their node names, the head's to
/// <c>head.relu1</c> and <c>head.relu2</c>.
/// </summary>
public sealed class PhotosPlantedNetwork : nn.Module<Tensor, Tensor>, INamedLayers
{
    /// <summary>The backbone's node whose output the head reads: the last ReLU of its second stage.</summary>
    public const string Tap = "ReLU315";

    /// <summary>The channels of <see cref="Tap"/>'s output.</summary>
    public const int TapChannels = 128;

    readonly OnnxModule preprocess, backbone;
    readonly MarkHead head;

    PhotosPlantedNetwork(OnnxModule preprocess, OnnxModule backbone, MarkHead head) : base(PlantedPhotographs.Name)
    {
        (this.preprocess, this.backbone, this.head) = (preprocess, backbone, head);
        RegisterComponents();
    }

    /// <summary>The backbone from the restored package and a head of fresh weights (torch's initialisation, from its current seed).</summary>
    public static PhotosPlantedNetwork Create()
    {
        var preprocess = ResNet18Backbone.LoadPreprocess();
        OnnxModule? backbone = null;
        try
        {
            backbone = ResNet18Backbone.LoadNetwork(Tap + "_Output_0");
            return new PhotosPlantedNetwork(preprocess, backbone, new MarkHead(TapChannels, PlantedRecipe.Classes + 1));
        }
        catch
        {
            preprocess.Dispose();
            backbone?.Dispose();
            throw;
        }
    }

    /// <summary>The trained head, its weights as <see cref="SaveHead"/> wrote them.</summary>
    public MarkHead Head => head;

    /// <summary>The pixels as the backbone's preprocessing graph takes them, then through the backbone to <see cref="Tap"/>.</summary>
    public Tensor Features(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        return backbone.call(preprocess.call(pixels * 255)).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        return head.call(Features(pixels)).MoveToOuterDisposeScope();
    }

    public IReadOnlyList<string> LayerNames => backbone.LayerNames.Concat(head.Layers.Keys).ToArray();

    public string? DefaultLayer => Tap;

    public nn.Module<Tensor, Tensor>? Layer(string name) =>
        head.Layers.TryGetValue(name, out var layer) ? layer : backbone.Layer(name);

    public void SaveHead(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        head.save_safetensors(path);
    }

    /// <exception cref="InvalidDataException">The file is not the head's weights.</exception>
    public void LoadHead(byte[] file, string path)
    {
        SafetensorsHeader.Require(file, path);
        try
        {
            using var stream = new MemoryStream(file, writable: false);
            head.load_safetensors(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"model file {path} is not the head of {PlantedPhotographs.Name}: {TorchErrors.Brief(e.Message)}", e);
        }
    }
}
