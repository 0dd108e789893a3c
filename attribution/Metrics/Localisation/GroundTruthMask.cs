namespace Saliency.Attribution.Metrics.Localisation;

/// <summary>
/// Where the evidence for a decision lies in an image: one flag per pixel, row-major over
/// <see cref="Height"/> × <see cref="Width"/>, true inside (the foreground).
/// </summary>
public sealed class GroundTruthMask : IEquatable<GroundTruthMask>
{
    readonly bool[] inside;

    public GroundTruthMask(int height, int width, ReadOnlySpan<bool> inside)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (inside.Length != height * width)
            throw new ArgumentException($"a {height}×{width} mask needs {height * width} flags, not {inside.Length}", nameof(inside));
        (Height, Width, this.inside) = (height, width, inside.ToArray());
        foreach (var flag in this.inside)
            if (flag) Foreground++;
    }

    /// <summary>A mask that is a box of <paramref name="boxHeight"/> × <paramref name="boxWidth"/> pixels from (<paramref name="top"/>, <paramref name="left"/>).</summary>
    public static GroundTruthMask Box(int height, int width, int top, int left, int boxHeight, int boxWidth)
    {
        if (top < 0 || left < 0 || boxHeight < 1 || boxWidth < 1 || top + boxHeight > height || left + boxWidth > width)
            throw new ArgumentException($"a {boxHeight}×{boxWidth} box at ({top}, {left}) does not fit in {height}×{width}");
        var flags = new bool[height * width];
        for (var y = top; y < top + boxHeight; y++)
            Array.Fill(flags, true, y * width + left, boxWidth);
        return new GroundTruthMask(height, width, flags);
    }

    public int Height { get; }
    public int Width { get; }
    public int Pixels => Height * Width;
    /// <summary>The number of pixels inside.</summary>
    public int Foreground { get; }
    /// <summary>The number of pixels outside.</summary>
    public int Background => Pixels - Foreground;

    /// <summary>Whether pixel <paramref name="pixel"/> (row-major) is inside.</summary>
    public bool this[int pixel] => inside[pixel];

    public bool this[int row, int column] => inside[row * Width + column];

    /// <summary>The smallest box that holds every pixel inside; an empty mask is its own box.</summary>
    public GroundTruthMask BoundingBox()
    {
        if (Foreground == 0) return this;
        var (top, left, bottom, right) = (Height, Width, -1, -1);
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
                if (this[y, x]) (top, left, bottom, right) = (Math.Min(top, y), Math.Min(left, x), Math.Max(bottom, y), Math.Max(right, x));
        return Box(Height, Width, top, left, bottom - top + 1, right - left + 1);
    }

    /// <summary>Two masks are equal when they have the same size and the same pixels inside.</summary>
    public bool Equals(GroundTruthMask? other) =>
        other is not null && (Height, Width) == (other.Height, other.Width) && inside.AsSpan().SequenceEqual(other.inside);

    public override bool Equals(object? obj) => Equals(obj as GroundTruthMask);

    public override int GetHashCode() => HashCode.Combine(Height, Width, Foreground);
}
