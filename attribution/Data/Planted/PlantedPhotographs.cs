using System.Globalization;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// The planted-evidence benchmark at 224 × 224 on photographs: crops of the <see cref="SourcePhotographs"/> with the
/// recipe's marks and decoys (<see cref="PlantedPhotoSplit"/>), the model <c>photos-planted</c> (a pretrained ResNet-18
/// backbone and a head trained on the marks), and the ground-truth set of its test images that the model is shown to
/// read by their marks. Eleven classes: the ten marks' patterns, and "no mark".
/// </summary>
public static class PlantedPhotographs
{
    /// <summary>The name of the built-in model and of the image source.</summary>
    public const string Name = "photos-planted";

    public const string GroundTruthSplit = "test";

    public const string TrainCommand = "saliency train --planted-photos";

    public static ImageShape Shape { get; } = new(3, 224, 224);

    /// <summary>Its own seed, so that its plantings share nothing with Fashion-MNIST's.</summary>
    public static PlantedRecipe Recipe { get; } = new() { Seed = 224, MarkedFraction = 0.5 };

    /// <summary>"mark 0" to "mark 9", the marks' classes, then "no mark".</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        Enumerable.Range(0, PlantedRecipe.Classes).Select(c => string.Create(CultureInfo.InvariantCulture, $"mark {c}")).Append("no mark").ToArray();

    /// <summary>How many images each split has.</summary>
    public static int SplitSize(string split) => split switch
    {
        "train" => 2000,
        GroundTruthSplit => 600,
        _ => throw new ArgumentException($"{Name} has the splits train and {GroundTruthSplit}, not '{split}'"),
    };

    public static PlantedPhotoSplit Load(string split, PlantedRecipe? recipe = null) =>
        PlantedPhotoSplit.Of(split, SplitSize(split), recipe ?? Recipe);

    /// <summary>The shipped ground-truth list, beside the shipped head.</summary>
    public static string GroundTruthPath => PlantedGroundTruth.BesideModel(ModelLoader.BuiltInWeightsPathOf(Name));

    /// <summary>The shipped ground-truth images of the test split, in the list's order, made on demand, each with its mark as its mask.</summary>
    public static ImageCatalog OpenGroundTruth()
    {
        var truth = PlantedGroundTruth.Read(GroundTruthPath, Name, TrainCommand);
        return truth.Catalog(Load(truth.Split, truth.Recipe));
    }
}
