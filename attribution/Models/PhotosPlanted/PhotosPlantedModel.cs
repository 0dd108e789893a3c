using Saliency.Attribution.Data;
using Saliency.Attribution.Data.Planted;

namespace Saliency.Attribution.Models.PhotosPlanted;

/// <summary>
/// The built-in <c>photos-planted</c>: <see cref="PhotosPlantedNetwork"/>, whose backbone comes from the restored package
/// and whose head's weights ship as <c>models/photos-planted.safetensors</c>.
/// </summary>
public static class PhotosPlantedModel
{
    /// <summary>3 × 224 × 224 RGB; a folder's photographs are resized on their shorter side to 224 and centre-cropped.</summary>
    public static ModelSpec Spec { get; } = new(PlantedPhotographs.Name, PlantedPhotographs.Shape, null, null, PlantedPhotographs.ClassNames,
        PlantedPhotographs.Name, new ImagePreprocess(Resize: 224, Crop: 224));

    public static ImageClassifier Load(string headPath, ComputeDevice? device = null)
    {
        if (!File.Exists(headPath))
            throw new FileNotFoundException(
                $"weights of the built-in model '{PlantedPhotographs.Name}' not found at {headPath} (run '{PlantedPhotographs.TrainCommand}' to produce them)", headPath);
        var file = ModelFile.Read(headPath);
        var network = PhotosPlantedNetwork.Create();
        try
        {
            network.LoadHead(file, headPath);
            return new ImageClassifier(Spec, network, device);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
