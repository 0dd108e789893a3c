using Saliency.Attribution.Data;
using Saliency.Attribution.Data.Planted;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests.Planted;

/// <summary>The shipped photos-planted model, its ground-truth list and the planted test photographs, loaded once for a test class.</summary>
public sealed class PhotosPlantedFixture : IDisposable
{
    /// <summary>How many listed images the tests explain or check: enough for averages, few enough to run in seconds.</summary>
    public const int Listed = 24;

    readonly Lazy<ImageSet> listed = new(() => ImageSelection.Parse($"{PlantedPhotographs.Name}:test:0-{Listed - 1}").Load());

    public ImageClassifier Model { get; } = ModelLoader.Load(PlantedPhotographs.Name);

    public PlantedPhotoSplit TestSplit { get; } = PlantedPhotographs.Load(PlantedPhotographs.GroundTruthSplit);

    public PlantedGroundTruth Truth { get; } = PlantedGroundTruth.Read(PlantedPhotographs.GroundTruthPath);

    /// <summary>The first <see cref="Listed"/> images of the ground-truth list, with their masks.</summary>
    public ImageSet ListedImages => listed.Value;

    public void Dispose() => Model.Dispose();
}
