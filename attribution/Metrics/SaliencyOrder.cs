using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;

namespace Saliency.Attribution.Metrics;

/// <summary>The order in which the perturbation metrics take a map's pixels.</summary>
internal static class SaliencyOrder
{
    /// <summary>Pixel indices by descending saliency summed over channels; ties keep pixel order.</summary>
    public static int[] Descending(ImageAttribution map, ImageShape shape, int key)
    {
        var plane = shape.Height * shape.Width;
        if (map.Map.Length != shape.Size)
            throw new ArgumentException($"map of image {key} has {map.Map.Length} values, expected {shape.Size} ({shape})");
        var saliency = new double[plane];
        for (var c = 0; c < shape.Channels; c++)
            for (var p = 0; p < plane; p++)
                saliency[p] += map.Map[c * plane + p];
        if (saliency.Any(s => !double.IsFinite(s)))
            throw new InvalidDataException($"map of image {key} contains NaN or infinite values");
        var order = Enumerable.Range(0, plane).ToArray();
        var keys = saliency.Select(s => -s).ToArray();
        Array.Sort(keys, order);
        // Array.Sort is unstable; restore pixel order within equal saliency so results are reproducible.
        for (var start = 0; start < plane;)
        {
            var end = start;
            while (end < plane && keys[end] == keys[start]) end++;
            Array.Sort(order, start, end - start);
            start = end;
        }
        return order;
    }

    /// <summary>Each pixel's place in <paramref name="order"/>: 0 for the most salient.</summary>
    public static long[] Ranks(int[] order)
    {
        var rank = new long[order.Length];
        for (var r = 0; r < order.Length; r++) rank[order[r]] = r;
        return rank;
    }
}
