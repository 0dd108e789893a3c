using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Metrics;

/// <summary>How far the target's score falls from one image to perturbed copies of it: what the perturbation metrics compare a map with.</summary>
internal static class ScoreDrops
{
    /// <param name="perturb">Makes copies [<c>start</c>, <c>start + count</c>) from the image as the model takes it, [1, C, H, W].</param>
    /// <returns>f(x) − f(x̃) per copy, in double precision, the copies scored <paramref name="batchSize"/> at a time without gradients.</returns>
    public static double[] Of(ImageClassifier model, ImageSet images, int position, int target, ScoreKind score, int copies, int batchSize,
        Func<Tensor, int, int, Tensor> perturb)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var image = model.Input(tensor(images.Image(position).ToArray(), images.Shape.WithBatch(1)));
        var targets = tensor(new long[] { target }, device: model.Device);
        var original = ClassScore.Of(model, image, targets, score).to(float64).item<double>();
        var drops = new double[copies];
        for (var start = 0; start < copies; start += batchSize)
        {
            var count = Math.Min(batchSize, copies - start);
            using var batchScope = NewDisposeScope();
            var scores = ClassScore.Of(model, perturb(image, start, count), targets.expand(count), score).to(float64).cpu().data<double>().ToArray();
            for (var c = 0; c < count; c++) drops[start + c] = original - scores[c];
        }
        return drops;
    }
}
