using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;

namespace Saliency.Attribution.Metrics;

/// <summary>The order in which the perturbation metrics take a map's pixels.</summary>
internal static class SaliencyOrder
{
    /// <summary>
    /// Ranks already computed, by map: deletion, insertion (on each substrate) and ROAD all take the same map's order, and
    /// sorting a 224 × 224 map costs more than hashing it. The hash makes a map changed since its ranks were taken sort again.
    /// </summary>
    static readonly ConditionalWeakTable<float[], RanksOfMap> Computed = [];

    sealed record RanksOfMap(int Hash, int Size, int[] Ranks);

    /// <summary>Each pixel's place in the map's descending order (<see cref="Descending"/>), computed once per map.</summary>
    public static int[] RanksOf(ImageAttribution map, ImageShape shape, int key)
    {
        var hash = Hash(map.Map);
        if (Computed.TryGetValue(map.Map, out var known) && known.Hash == hash && known.Size == shape.Size) return known.Ranks;
        var ranks = Ranks(Descending(map, shape, key));
        Computed.AddOrUpdate(map.Map, new RanksOfMap(hash, shape.Size, ranks));
        return ranks;
    }

    static int Hash(float[] map)
    {
        var hash = new HashCode();
        hash.AddBytes(MemoryMarshal.AsBytes(map.AsSpan()));
        return hash.ToHashCode();
    }

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
    public static int[] Ranks(int[] order)
    {
        var rank = new int[order.Length];
        for (var r = 0; r < order.Length; r++) rank[order[r]] = r;
        return rank;
    }
}
