using Saliency.Attribution.Metrics.Localisation;

namespace Saliency.Attribution.Tests.Localisation;

/// <summary>Masks and maps drawn as text, one string per row, '1' inside.</summary>
static class Masks
{
    public static GroundTruthMask Of(params string[] rows) =>
        new(rows.Length, rows[0].Length, rows.SelectMany(row => row.Select(c => c == '1')).ToArray());

    public static bool[] Flags(GroundTruthMask mask) => Enumerable.Range(0, mask.Pixels).Select(p => mask[p]).ToArray();

    /// <summary>A one-channel map of <paramref name="inside"/> on the mask and <paramref name="outside"/> off it.</summary>
    public static float[] Painted(GroundTruthMask mask, float inside, float outside) =>
        Enumerable.Range(0, mask.Pixels).Select(p => mask[p] ? inside : outside).ToArray();

    /// <summary>A disc of the given radius around (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public static GroundTruthMask Disc(int height, int width, int row, int column, double radius) =>
        new(height, width, Enumerable.Range(0, height * width)
            .Select(p => Math.Pow(p / width - row, 2) + Math.Pow(p % width - column, 2) <= radius * radius).ToArray());
}
