using System.Diagnostics;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>
/// Images checked against a model and turned into a tensor, with each image's target class and the
/// target's score: the start every method shares.
/// </summary>
public sealed record PreparedImages(Tensor Inputs, long[] Targets, double[] Scores)
{
    /// <summary>Creates the tensors in the caller's dispose scope.</summary>
    public static PreparedImages Prepare(ImageClassifier model, ImageSet images, Target target, ScoreKind score, int batchSize)
    {
        model.RequireInput(images.Shape, images.Source);
        var inputs = model.Input(images.ToTensor());
        using var scope = NewDisposeScope();
        var logits = ClassScore.AllClasses(model, inputs, ScoreKind.Logit, batchSize);
        var targets = target.Resolve(logits, images.Labels);
        var scores = score == ScoreKind.Probability ? nn.functional.softmax(logits, 1) : logits;
        return new PreparedImages(inputs, targets,
            scores.gather(1, tensor(targets, device: model.Device).view(-1, 1)).view(-1).to(float64).ToHostArray<double>());
    }

    /// <summary>
    /// Runs a method that computes all maps of the images at once (<paramref name="compute"/> returns
    /// [N, C, H, W]), timing it and packaging one result per image.
    /// </summary>
    public static IReadOnlyList<ImageAttribution> AttributeAll(ImageClassifier model, ImageSet images, Target target,
        ScoreKind score, int batchSize, int passesPerImage, Func<PreparedImages, Tensor> compute)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var prepared = Prepare(model, images, target, score, batchSize);
        var maps = compute(prepared).to(float32).flatten(1).cpu();
        var seconds = clock.Elapsed.TotalSeconds / Math.Max(1, images.Count);
        return Enumerable.Range(0, images.Count).Select(i => new ImageAttribution(images.Keys[i], (int)prepared.Targets[i],
            maps[i].data<float>().ToArray(), prepared.Scores[i], null, passesPerImage, seconds)).ToArray();
    }
}
