using System.Diagnostics;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Methods;

/// <summary>
/// All-zero maps that never touch the model: a method that costs nothing, so a sweep of it measures
/// the machinery alone (dispatch, result log, aggregation, grain state). The target is the image's
/// label, or the fixed class asked for, because the prediction would need the model; the score is 0.
/// </summary>
public sealed class NoopMap : IAttributionMethod
{
    public string Name => "noop";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target)
    {
        var clock = Stopwatch.StartNew();
        var length = images.Shape.Channels * images.Shape.Height * images.Shape.Width;
        var seconds = clock.Elapsed.TotalSeconds / Math.Max(1, images.Count);
        return Enumerable.Range(0, images.Count).Select(i => new ImageAttribution(
            images.Keys[i], target.ClassIndex ?? target.Classes?[i] ?? images.Labels[i], new float[length], 0, null, 0, seconds)).ToArray();
    }
}
