using Saliency.Attribution.Models;

namespace Saliency.Attribution.Data.Planted;

/// <summary>What a model predicts for a marked image as planted, with its mark erased, and with its decoy erased.</summary>
public sealed record RelianceVerdict(int Key, int Label, int Predicted, int WithoutMark, int WithoutDecoy)
{
    /// <summary>
    /// The model predicts the mark's class, erasing the mark changes its prediction and erasing the decoy does not: the mark
    /// is then the evidence for the very class a map explains, whether its target is the label or the prediction.
    /// </summary>
    public bool Relies => Predicted == Label && WithoutMark != Predicted && WithoutDecoy == Predicted;
}

/// <summary>The reliance check that admits a marked image to the planted benchmark's ground truth.</summary>
public static class MarkReliance
{
    /// <summary>One verdict per marked image of <paramref name="split"/>, in its order.</summary>
    public static IReadOnlyList<RelianceVerdict> Check(ImageClassifier model, IPlantedImages split) => Check(PlantedPredictions.Of(model, split));

    /// <summary>One verdict per marked image of the predictions' split, in its order.</summary>
    public static IReadOnlyList<RelianceVerdict> Check(PlantedPredictions predictions)
    {
        var split = predictions.Split;
        return split.Marked().Select((p, i) => new RelianceVerdict(split.Plantings[p].Key, split.Plantings[p].Label,
            predictions.Planted[p], predictions.WithoutMarks[p], predictions.WithoutDecoys[i])).ToArray();
    }
}
