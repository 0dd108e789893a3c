using System.Diagnostics;
using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>
/// Runs a method that optimises a mask per image (I-GOS, iGOS++): each image goes to <c>optimise</c> as
/// ([1, C, H, W] image, its baseline, target class, key), which returns the [1, 1, H, W] upsampled mask,
/// 1 where the image is kept; the map is 1 − mask on every channel.
/// </summary>
public static class OptimisedMaskMaps
{
    public delegate Tensor Optimiser(Tensor image, Tensor baseline, long target, int key);

    /// <param name="steps">Gradient passes per image, recorded with each map.</param>
    public static IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target, Substrate baseline, int steps, Optimiser optimise)
    {
        using var scope = NewDisposeScope();
        var prepared = PreparedImages.Prepare(model, images, target, ScoreKind.Probability, 64);
        var baselines = baseline.Create(prepared.Inputs, model);
        var results = new ImageAttribution[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            var clock = Stopwatch.StartNew();
            using var imageScope = NewDisposeScope();
            var mask = optimise(prepared.Inputs[i].unsqueeze(0), baselines[i].unsqueeze(0), prepared.Targets[i], images.Keys[i]);
            var channels = prepared.Inputs.shape[1];
            var map = (1 - mask).clamp(0, 1).expand(1, channels, -1, -1).contiguous().to(float32).flatten();
            results[i] = new ImageAttribution(images.Keys[i], (int)prepared.Targets[i], map.ToHostArray<float>(),
                prepared.Scores[i], null, steps, clock.Elapsed.TotalSeconds);
        }
        return results;
    }

    /// <summary>What <paramref name="optimise"/> makes of the first image, e.g. its objective trace.</summary>
    public static T Trace<T>(ImageClassifier model, ImageSet image, Target target, Substrate baseline, Func<Tensor, Tensor, long, int, T> optimise)
    {
        using var scope = NewDisposeScope();
        var prepared = PreparedImages.Prepare(model, image.Slice(0, 1), target, ScoreKind.Probability, 1);
        return optimise(prepared.Inputs, baseline.Create(prepared.Inputs, model), prepared.Targets[0], image.Keys[0]);
    }
}
