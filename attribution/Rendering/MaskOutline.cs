using Saliency.Attribution.Metrics.Localisation;
using SkiaSharp;

namespace Saliency.Attribution.Rendering;

/// <summary>
/// The outline of a ground-truth mask at the scale its image is drawn: the pixels of the mask, upscaled by nearest
/// neighbour, that are inside and have a 4-neighbour outside. The picture's edge counts as outside, so a mask that
/// touches the edge still has a closed outline. The line is one pixel thin at any scale and lies on the mask's own
/// border pixels, so it marks where the evidence is without covering what is beside it.
/// </summary>
public sealed class MaskOutline
{
    /// <summary>Magenta: in none of the heat ramps (greens, reds, blues, blue-white-red), and plain on white and grey.</summary>
    public static SKColor Colour { get; } = new(255, 0, 255);

    readonly bool[] on;

    MaskOutline(int height, int width, bool[] on, int count) => (Height, Width, this.on, Count) = (height, width, on, count);

    /// <summary>The outline of <paramref name="mask"/> drawn <paramref name="scale"/> times its size.</summary>
    public static MaskOutline Of(GroundTruthMask mask, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        var (height, width) = (mask.Height * scale, mask.Width * scale);
        bool Inside(int y, int x) => y >= 0 && y < height && x >= 0 && x < width && mask[y / scale, x / scale];
        var on = new bool[height * width];
        var count = 0;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                if (Inside(y, x) && !(Inside(y - 1, x) && Inside(y + 1, x) && Inside(y, x - 1) && Inside(y, x + 1)))
                {
                    on[y * width + x] = true;
                    count++;
                }
        return new MaskOutline(height, width, on, count);
    }

    public int Height { get; }
    public int Width { get; }
    /// <summary>The number of pixels on the outline.</summary>
    public int Count { get; }

    /// <summary>Whether the pixel at row <paramref name="y"/>, column <paramref name="x"/> is on the outline.</summary>
    public bool this[int y, int x] => on[y * Width + x];

    /// <summary>Paints the outline's pixels over <paramref name="picture"/>, which must be drawn at the outline's size.</summary>
    public void DrawOn(SKBitmap picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        if (picture.Height != Height || picture.Width != Width)
            throw new ArgumentException($"a {Height}×{Width} mask outline cannot be drawn over a {picture.Height}×{picture.Width} picture", nameof(picture));
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
                if (on[y * Width + x]) picture.SetPixel(x, y, Colour);
    }
}
