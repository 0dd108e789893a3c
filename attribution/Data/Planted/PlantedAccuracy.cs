using Saliency.Attribution.Models;

namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// Top-1 accuracies of a model on a planted split: as planted (against the recipe's labels), on its marked and unmarked
/// images, and with every mark erased (against the images' own classes: the garments', or
/// <see cref="PlantedRecipe.Unmarked"/> for photographs), the last also on the images that were marked.
/// </summary>
public sealed record PlantedAccuracy(double Planted, double Marked, double Unmarked, double MarksErased, double MarksErasedOnMarked, int MarkedCount, int Count)
{
    public static PlantedAccuracy Of(ImageClassifier model, IPlantedImages split) => Of(PlantedPredictions.Of(model, split));

    public static PlantedAccuracy Of(PlantedPredictions predictions)
    {
        var split = predictions.Split;
        var (planted, erased) = (predictions.Planted, predictions.WithoutMarks);
        var (plantedImages, erasedImages) = (split.Planted(), split.WithoutMarks());
        var marked = split.Marked().ToHashSet();
        double Share(int[] predicted, IReadOnlyList<int> labels, Func<int, bool> counts)
        {
            var positions = Enumerable.Range(0, predicted.Length).Where(counts).ToArray();
            return positions.Length == 0 ? double.NaN : (double)positions.Count(p => predicted[p] == labels[p]) / positions.Length;
        }
        return new PlantedAccuracy(
            Share(planted, plantedImages.Labels, _ => true),
            Share(planted, plantedImages.Labels, marked.Contains),
            Share(planted, plantedImages.Labels, p => !marked.Contains(p)),
            Share(erased, erasedImages.Labels, _ => true),
            Share(erased, erasedImages.Labels, marked.Contains),
            marked.Count, planted.Length);
    }
}
