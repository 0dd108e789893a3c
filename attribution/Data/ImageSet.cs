using Saliency.Attribution.Metrics.Localisation;
using static TorchSharp.torch;

namespace Saliency.Attribution.Data;

/// <summary>
/// Images in pixel space [0, 1], channel-first and contiguous, each with the key that names it in
/// its source (its index in the data set) and its label. Plain arrays, so a set crosses threads and
/// machines freely; tensors are made from it where the work happens. A source that knows where each image's
/// evidence lies (a ground-truth set) gives a mask per image as well.
/// </summary>
public sealed class ImageSet
{
    public ImageSet(string source, ImageShape shape, float[] pixels, int[] keys, int[] labels, IReadOnlyList<string>? classNames = null,
        IReadOnlyList<GroundTruthMask>? masks = null)
    {
        if (pixels.Length != keys.Length * shape.Size)
            throw new ArgumentException($"{source}: {pixels.Length} pixel values do not make {keys.Length} images of {shape}");
        if (labels.Length != keys.Length)
            throw new ArgumentException($"{source}: {labels.Length} labels for {keys.Length} images");
        if (masks is not null && masks.Count != keys.Length)
            throw new ArgumentException($"{source}: {masks.Count} ground-truth masks for {keys.Length} images");
        if (masks?.FirstOrDefault(m => m.Height != shape.Height || m.Width != shape.Width) is { } misfit)
            throw new ArgumentException($"{source}: a {misfit.Height}×{misfit.Width} ground-truth mask for images of {shape}");
        Source = source;
        Shape = shape;
        Pixels = pixels;
        Keys = keys;
        Labels = labels;
        ClassNames = classNames ?? Array.Empty<string>();
        Masks = masks;
    }

    public string Source { get; }
    public ImageShape Shape { get; }
    public float[] Pixels { get; }
    public int[] Keys { get; }
    public int[] Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>Where each image's evidence lies, by position; null for a source without ground truth.</summary>
    public IReadOnlyList<GroundTruthMask>? Masks { get; }
    public int Count => Keys.Length;

    public ReadOnlySpan<float> Image(int position) => Pixels.AsSpan(position * Shape.Size, Shape.Size);

    public ImageSet Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(start), $"{Source}: slice [{start}, {start + count}) outside {Count} images");
        return new ImageSet(Source, Shape, Pixels.AsSpan(start * Shape.Size, count * Shape.Size).ToArray(),
            Keys[start..(start + count)], Labels[start..(start + count)], ClassNames, Masks?.Skip(start).Take(count).ToArray());
    }

    public ImageSet Select(IReadOnlyList<int> positions)
    {
        var pixels = new float[positions.Count * Shape.Size];
        for (var i = 0; i < positions.Count; i++)
        {
            if (positions[i] < 0 || positions[i] >= Count)
                throw new ArgumentOutOfRangeException(nameof(positions), $"{Source}: image {positions[i]} outside 0-{Count - 1}");
            Image(positions[i]).CopyTo(pixels.AsSpan(i * Shape.Size));
        }
        return new ImageSet(Source, Shape, pixels, positions.Select(p => Keys[p]).ToArray(), positions.Select(p => Labels[p]).ToArray(), ClassNames,
            Masks is null ? null : positions.Select(p => Masks[p]).ToArray());
    }

    /// <summary>A [N, C, H, W] float tensor of the images, owned by the caller's dispose scope.</summary>
    public Tensor ToTensor(Device? device = null) =>
        tensor(Pixels, Shape.WithBatch(Count), ScalarType.Float32, device);
}
