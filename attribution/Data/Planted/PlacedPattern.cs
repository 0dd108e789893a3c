using Saliency.Attribution.Metrics.Localisation;

namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// A pattern drawn on an image: its top-left pixel, and <see cref="CellPixels"/> × <see cref="CellPixels"/> pixels per
/// cell, so the square it covers is <see cref="Side"/> pixels wide. <see cref="Index"/> is its place in its pattern set.
/// </summary>
public sealed record PlacedPattern(PlantedPattern Pattern, int Index, int Top, int Left, int CellPixels)
{
    public int Side => Pattern.Side * CellPixels;

    /// <summary>The square it covers, every pixel of it: its dark cells are as much the evidence as its bright ones.</summary>
    public GroundTruthMask Mask(int height, int width) => GroundTruthMask.Box(height, width, Top, Left, Side, Side);

    /// <summary>Whether the square, grown by <paramref name="margin"/> pixels on every side, touches <paramref name="other"/>'s.</summary>
    public bool Overlaps(PlacedPattern other, int margin) =>
        Top - margin < other.Top + other.Side && other.Top < Top + Side + margin
        && Left - margin < other.Left + other.Side && other.Left < Left + Side + margin;

    /// <summary>Writes the pattern over <paramref name="image"/> ([C, H, W] in [0, 1]): 1 for a cell that is on, 0 for one that is off, in every channel.</summary>
    public void Draw(Span<float> image, ImageShape shape)
    {
        RequireInside(shape);
        var plane = shape.Height * shape.Width;
        for (var c = 0; c < shape.Channels; c++)
            for (var y = 0; y < Side; y++)
                for (var x = 0; x < Side; x++)
                    image[c * plane + (Top + y) * shape.Width + Left + x] = Pattern[y / CellPixels, x / CellPixels] ? 1f : 0f;
    }

    /// <summary>Paints the square over with the background around it (<see cref="RingMedianFill"/>, a ring one cell wide).</summary>
    public void Erase(Span<float> image, ImageShape shape)
    {
        RequireInside(shape);
        RingMedianFill.Fill(image, shape, Top, Left, Side, CellPixels);
    }

    void RequireInside(ImageShape shape)
    {
        if (Top < 0 || Left < 0 || Top + Side > shape.Height || Left + Side > shape.Width)
            throw new ArgumentException($"a {Side}×{Side} pattern at ({Top}, {Left}) does not fit in {shape}");
    }
}
