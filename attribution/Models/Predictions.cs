using Saliency.Attribution.Data;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models;

/// <summary>The class a classifier ranks first for each image.</summary>
public static class Predictions
{
    public static int[] Of(ImageClassifier model, ImageSet images, int batchSize = 500)
    {
        model.RequireInput(images.Shape, images.Source);
        using var noGrad = no_grad();
        var predicted = new int[images.Count];
        for (var start = 0; start < images.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = images.Slice(start, Math.Min(batchSize, images.Count - start));
            var classes = model.Logits(model.Input(batch.ToTensor())).argmax(1).ToHostArray<long>();
            for (var i = 0; i < classes.Length; i++) predicted[start + i] = (int)classes[i];
        }
        return predicted;
    }

    /// <summary>The catalogue read <paramref name="batchSize"/> images at a time, so that only those are ever decoded at once.</summary>
    public static int[] Of(ImageClassifier model, ImageCatalog images, int batchSize = 64)
    {
        var predicted = new int[images.Count];
        for (var start = 0; start < images.Count; start += batchSize)
        {
            var batch = images.Read(start, Math.Min(batchSize, images.Count - start)).Images;
            Of(model, batch, batchSize).CopyTo(predicted, start);
        }
        return predicted;
    }
}
