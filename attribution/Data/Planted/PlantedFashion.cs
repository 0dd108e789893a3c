using Saliency.Attribution.Models;

namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// The planted-evidence benchmark built from Fashion-MNIST: the recipe's images, the model <c>fashion-planted</c>
/// trained on them, and the ground-truth set of its test images that the model is shown to read by their marks.
/// </summary>
public static class PlantedFashion
{
    /// <summary>The name of the built-in model and of the image source.</summary>
    public const string Name = "fashion-planted";

    /// <summary>The split the ground-truth set is drawn from.</summary>
    public const string GroundTruthSplit = "test";

    /// <summary>What trains the model and writes its ground-truth list.</summary>
    public const string TrainCommand = "saliency train --planted";

    public static PlantedSplit Load(string split, PlantedRecipe? recipe = null) => PlantedSplit.Of(FashionMnist.Load(split), split, recipe);

    /// <summary>The shipped ground-truth list, beside the shipped weights.</summary>
    public static string GroundTruthPath => PlantedGroundTruth.BesideModel(ModelLoader.BuiltInWeightsPathOf(Name));

    /// <summary>The shipped ground-truth images of the test split, in the list's order, each with its mark as its mask.</summary>
    public static ImageCatalog OpenGroundTruth()
    {
        var truth = PlantedGroundTruth.Read(GroundTruthPath);
        return truth.Catalog(Load(truth.Split, truth.Recipe));
    }
}
