using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using Saliency.Attribution.Randomness;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Saliency.Attribution.Methods;

/// <summary>Options of RISE. The paper draws 4000 masks on a 7×7 grid with p = 0.5 for its 224-pixel images.</summary>
public sealed record RiseOptions
{
    /// <summary>Half the paper's 4000: about 0.2 s per 28-pixel image on two cores, where maps from two seeds already correlate 0.82–0.98.</summary>
    public const int DefaultMasks = 2000;
    public const int DefaultGrid = 7;
    public const double DefaultProbability = 0.5;
    /// <summary>x ⊙ M in pixel space, the paper's formula (its reference masks normalised inputs, which is <c>mean</c>).</summary>
    public const string DefaultFill = "black";

    public int Masks { get; init; } = DefaultMasks;
    /// <summary>Cells per side of the low-resolution grid (the paper's s).</summary>
    public int Grid { get; init; } = DefaultGrid;
    /// <summary>The chance that a grid cell keeps the image.</summary>
    public double Probability { get; init; } = DefaultProbability;
    /// <summary>What a mask shows where it hides the image: x·M + fill·(1 − M).</summary>
    public Substrate Fill { get; init; } = Substrate.Parse(DefaultFill);
    public long Seed { get; init; }

    public void Validate()
    {
        if (Masks < 1) throw new ArgumentOutOfRangeException(nameof(Masks), $"RISE masks must be at least 1, got {Masks}");
        if (Grid < 1) throw new ArgumentOutOfRangeException(nameof(Grid), $"RISE grid must be at least 1 cell, got {Grid}");
        if (!(Probability is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(Probability), $"RISE probability must be above 0 and at most 1, got {Probability}");
    }
}

/// <summary>
/// RISE (Petsiuk, Das and Saenko 2018, "RISE: Randomized Input Sampling for Explanation of Black-box Models"):
/// N random masks, each a binary s×s grid whose cells keep the image with probability p, upsampled bilinearly to
/// (s + 1)·⌈H/s⌉ × (s + 1)·⌈W/s⌉ and cropped to the image at a random shift of less than a cell; the saliency is
/// Σᵢ F(x ⊙ Mᵢ)·Mᵢ / (N·p). Masks are drawn on the CPU from a generator seeded per image, so an image gets the
/// same masks in any batch, shard or device, and are scored without gradients on the model's device.
/// </summary>
public sealed class Rise(RiseOptions? options = null, ScoreKind score = ScoreKind.Logit, int internalBatchSize = 64) : IAttributionMethod
{
    public RiseOptions Options { get; } = options ?? new RiseOptions();

    public string Name => "rise";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target)
    {
        Options.Validate();
        if (internalBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(internalBatchSize), $"batch size must be at least 1, got {internalBatchSize}");
        var (height, width) = (images.Shape.Height, images.Shape.Width);
        return PreparedImages.AttributeAll(model, images, target, score, internalBatchSize, Options.Masks, prepared =>
        {
            using var noGrad = no_grad();
            var (x, type, device) = (prepared.Inputs, prepared.Inputs.dtype, prepared.Inputs.device);
            var fills = Options.Fill.Create(x, model);
            var maps = new List<Tensor>();
            for (var i = 0; i < images.Count; i++)
            {
                using var imageScope = NewDisposeScope();
                var draw = Draw(images.Keys[i], height, width);
                var sum = zeros(new long[] { height, width }, type, device);
                for (var start = 0; start < Options.Masks; start += internalBatchSize)
                {
                    using var batchScope = NewDisposeScope();
                    var count = Math.Min(internalBatchSize, Options.Masks - start);
                    var masks = draw.Masks(start, count, type, device);
                    var masked = x[i] * masks + fills[i] * (1 - masks);
                    var scores = ClassScore.Of(model, masked, full(count, prepared.Targets[i], ScalarType.Int64, device), score);
                    sum.add_((scores.view(-1, 1, 1, 1) * masks).sum(new long[] { 0, 1 }));
                }
                maps.Add((sum / (Options.Masks * Options.Probability)).expand(x.shape[1], height, width).MoveToOuterDisposeScope());
            }
            return stack(maps);
        });
    }

    /// <returns>[N, 1, H, W] float64 masks of the image with <paramref name="key"/>, on the CPU, in the caller's scope: those its map weighs.</returns>
    public Tensor Masks(int key, int height, int width)
    {
        Options.Validate();
        return Draw(key, height, width).Masks(0, Options.Masks, ScalarType.Float64, CPU);
    }

    MaskDraw Draw(int key, int height, int width)
    {
        using var generator = new Generator(StableSeed.For(Options.Seed, key, Name));
        var (cellHeight, cellWidth) = ((height + Options.Grid - 1) / Options.Grid, (width + Options.Grid - 1) / Options.Grid);
        var grids = rand(new long[] { Options.Masks, 1, Options.Grid, Options.Grid }, float64, generator: generator) < Options.Probability;
        var shifts = rand(new long[] { Options.Masks, 2 }, float64, generator: generator);
        var rows = (shifts[.., 0] * cellHeight).floor().to(ScalarType.Int64).clamp_max(cellHeight - 1);
        var columns = (shifts[.., 1] * cellWidth).floor().to(ScalarType.Int64).clamp_max(cellWidth - 1);
        return new MaskDraw(grids, rows, columns, (Options.Grid + 1) * cellHeight, (Options.Grid + 1) * cellWidth, height, width);
    }

    /// <summary>One image's grids and shifts, drawn at once; any run of its masks is built from them alone.</summary>
    sealed record MaskDraw(Tensor Grids, Tensor Rows, Tensor Columns, long UpHeight, long UpWidth, long Height, long Width)
    {
        /// <returns>[count, 1, H, W] masks <paramref name="start"/> onwards, in the caller's scope.</returns>
        public Tensor Masks(long start, long count, ScalarType type, Device device)
        {
            using var scope = NewDisposeScope();
            var grids = Grids.narrow(0, start, count).to(type, device);
            var up = interpolate(grids, new[] { UpHeight, UpWidth }, mode: InterpolationMode.Bilinear, align_corners: false).squeeze(1);
            // The crop of each mask at its own shift, as two gathers: rows, then columns.
            var rows = (Rows.narrow(0, start, count).view(-1, 1, 1) + arange(Height, ScalarType.Int64).view(1, -1, 1)).to(device);
            var columns = (Columns.narrow(0, start, count).view(-1, 1, 1) + arange(Width, ScalarType.Int64).view(1, 1, -1)).to(device);
            var cropped = up.gather(1, rows.expand(-1, -1, UpWidth)).gather(2, columns.expand(-1, Height, -1));
            return cropped.unsqueeze(1).MoveToOuterDisposeScope();
        }
    }
}
