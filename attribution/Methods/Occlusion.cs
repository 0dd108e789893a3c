using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>Options of occlusion. Window and stride follow the image's shorter side when left out.</summary>
public sealed record OcclusionOptions
{
    /// <summary>The grey square of Zeiler and Fergus: the model's mean pixel, which Captum's default baseline 0 is in normalised space.</summary>
    public const string DefaultFill = "mean";

    /// <summary>Side of the square window in pixels; by default the shorter side / 7, rounded (4 on 28 pixels, 32 on 224).</summary>
    public int? Window { get; init; }
    /// <summary>Pixels from one window to the next; by default half the window (2 on 28 pixels, 16 on 224).</summary>
    public int? Stride { get; init; }
    /// <summary>What the window shows instead of the image.</summary>
    public Substrate Fill { get; init; } = Substrate.Parse(DefaultFill);

    /// <summary>The window and stride used on images of the given size.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value below 1, or a window larger than the image.</exception>
    public (int Window, int Stride) Resolve(int height, int width)
    {
        var side = Math.Min(height, width);
        var window = Window ?? Math.Max(1, (int)Math.Round(side / 7.0, MidpointRounding.AwayFromZero));
        var stride = Stride ?? Math.Max(1, window / 2);
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(Window), $"occlusion window must be at least 1 pixel, got {window}");
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(Stride), $"occlusion stride must be at least 1 pixel, got {stride}");
        if (window > side) throw new ArgumentOutOfRangeException(nameof(Window), $"occlusion window {window} is larger than the {height}×{width} image");
        return (window, stride);
    }

    /// <summary>
    /// Where windows start along a side: every stride from 0 while the window fits, and one more flush with the far
    /// edge when the stride does not land there, so that every pixel is covered (Captum would leave those last pixels out).
    /// </summary>
    public static IReadOnlyList<int> Starts(int side, int window, int stride)
    {
        var starts = new List<int>();
        for (var start = 0; start + window <= side; start += stride) starts.Add(start);
        if (starts[^1] + window < side) starts.Add(side - window);
        return starts;
    }

    /// <summary>How many occluded copies of one image the model scores: one forward pass each.</summary>
    public int Windows(ImageShape shape)
    {
        var (window, stride) = Resolve(shape.Height, shape.Width);
        return Starts(shape.Height, window, stride).Count * Starts(shape.Width, window, stride).Count;
    }
}

/// <summary>
/// Occlusion (Zeiler and Fergus 2014, "Visualizing and Understanding Convolutional Networks"): a square window
/// slides over the image with a stride, hiding all channels under it behind the fill; each position's score drop,
/// F(x) − F(x with the window filled), goes to every pixel the window covered, and each pixel's attribution is the
/// mean drop of the windows that covered it, as Captum's Occlusion sums the drops and divides by the count.
/// All positions of an image go through the model without gradients, in batches of the internal batch size.
/// </summary>
public sealed class Occlusion(OcclusionOptions? options = null, ScoreKind score = ScoreKind.Logit, int internalBatchSize = 64) : IAttributionMethod
{
    public OcclusionOptions Options { get; } = options ?? new OcclusionOptions();

    public string Name => "occlusion";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target)
    {
        if (internalBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(internalBatchSize), $"batch size must be at least 1, got {internalBatchSize}");
        var (height, width) = (images.Shape.Height, images.Shape.Width);
        var (window, stride) = Options.Resolve(height, width);
        var (rows, columns) = (OcclusionOptions.Starts(height, window, stride), OcclusionOptions.Starts(width, window, stride));
        var positions = rows.Count * columns.Count;
        return PreparedImages.AttributeAll(model, images, target, score, internalBatchSize, positions, prepared =>
        {
            using var noGrad = no_grad();
            var (x, type, device) = (prepared.Inputs, prepared.Inputs.dtype, prepared.Inputs.device);
            var fills = Options.Fill.Create(x, model);
            var tops = tensor(rows.SelectMany(top => columns.Select(_ => (long)top)).ToArray(), device: device);
            var lefts = tensor(rows.SelectMany(_ => columns.Select(left => (long)left)).ToArray(), device: device);
            var coverage = outer(Coverage(rows, window, height), Coverage(columns, window, width)).to(type, device);
            var maps = new List<Tensor>();
            for (var i = 0; i < images.Count; i++)
            {
                using var imageScope = NewDisposeScope();
                var drops = zeros(new long[] { height, width }, type, device);
                for (var start = 0; start < positions; start += internalBatchSize)
                {
                    using var batchScope = NewDisposeScope();
                    var count = Math.Min(internalBatchSize, positions - start);
                    var hidden = Windows(tops.narrow(0, start, count), lefts.narrow(0, start, count), window, height, width).to(type).unsqueeze(1);
                    var occluded = x[i] * (1 - hidden) + fills[i] * hidden;
                    var scores = ClassScore.Of(model, occluded, full(count, prepared.Targets[i], ScalarType.Int64, device), score);
                    var drop = (prepared.Scores[i] - scores).view(-1, 1, 1, 1);
                    drops.add_((drop * hidden).sum(new long[] { 0, 1 }));
                }
                maps.Add((drops / coverage).expand(x.shape[1], height, width).MoveToOuterDisposeScope());
            }
            return stack(maps);
        });
    }

    /// <summary>How many windows cover each pixel along one side; every pixel is covered at least once.</summary>
    static Tensor Coverage(IReadOnlyList<int> starts, int window, int side)
    {
        var counts = new double[side];
        foreach (var start in starts)
            for (var p = start; p < start + window; p++) counts[p]++;
        return tensor(counts);
    }

    /// <returns>[P, H, W] booleans, true under each window whose top-left corner is (tops[p], lefts[p]).</returns>
    static Tensor Windows(Tensor tops, Tensor lefts, int window, int height, int width)
    {
        using var scope = NewDisposeScope();
        var rows = arange(height, ScalarType.Int64, tops.device).view(1, -1);
        var columns = arange(width, ScalarType.Int64, lefts.device).view(1, -1);
        var inRows = (rows >= tops.view(-1, 1)) & (rows < tops.view(-1, 1) + window);
        var inColumns = (columns >= lefts.view(-1, 1)) & (columns < lefts.view(-1, 1) + window);
        return (inRows.unsqueeze(2) & inColumns.unsqueeze(1)).MoveToOuterDisposeScope();
    }
}
