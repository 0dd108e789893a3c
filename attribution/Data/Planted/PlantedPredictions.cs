using Saliency.Attribution.Models;

namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// What a model predicts on a planted split, each image read once per variant it needs: every image as planted, and the
/// marked ones without their mark and without their decoy (an unmarked image without its mark is the image itself).
/// The accuracies and the reliance check both read these.
/// </summary>
public sealed class PlantedPredictions
{
    PlantedPredictions(IPlantedImages split, int[] planted, int[] withoutMarks, int[] withoutDecoys) =>
        (Split, Planted, WithoutMarks, WithoutDecoys) = (split, planted, withoutMarks, withoutDecoys);

    public IPlantedImages Split { get; }

    /// <summary>By position in the split.</summary>
    public int[] Planted { get; }

    /// <summary>By position in the split; an unmarked image's is its planted prediction.</summary>
    public int[] WithoutMarks { get; }

    /// <summary>By position among the marked images (<see cref="PlantedImages.Marked"/>).</summary>
    public int[] WithoutDecoys { get; }

    public static PlantedPredictions Of(ImageClassifier model, IPlantedImages split)
    {
        var marked = split.Marked();
        var planted = Predictions.Of(model, split.Planted());
        var withoutMarks = (int[])planted.Clone();
        var erased = Predictions.Of(model, split.WithoutMarks().At(marked));
        for (var i = 0; i < marked.Count; i++) withoutMarks[marked[i]] = erased[i];
        return new PlantedPredictions(split, planted, withoutMarks, Predictions.Of(model, split.WithoutDecoys().At(marked)));
    }
}
