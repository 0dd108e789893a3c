namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// Removes a square from an image by filling it, channel by channel, with the median of the ring of pixels around it
/// (those within <c>ring</c> pixels of the square, outside it, clipped to the image). The median, not the mean, so that
/// a ring that crosses a garment's edge takes the side it mostly lies on rather than a grey neither side has.
/// </summary>
public static class RingMedianFill
{
    public static void Fill(Span<float> image, ImageShape shape, int top, int left, int side, int ring)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ring, 1);
        var plane = shape.Height * shape.Width;
        var values = new List<float>();
        for (var c = 0; c < shape.Channels; c++)
        {
            values.Clear();
            for (var y = Math.Max(0, top - ring); y < Math.Min(shape.Height, top + side + ring); y++)
                for (var x = Math.Max(0, left - ring); x < Math.Min(shape.Width, left + side + ring); x++)
                    if (y < top || y >= top + side || x < left || x >= left + side)
                        values.Add(image[c * plane + y * shape.Width + x]);
            if (values.Count == 0)
                throw new ArgumentException($"a {side}×{side} square at ({top}, {left}) fills all of {shape}: there is no ring around it");
            var fill = Median(values);
            for (var y = top; y < top + side; y++)
                image.Slice(c * plane + y * shape.Width + left, side).Fill(fill);
        }
    }

    static float Median(List<float> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
