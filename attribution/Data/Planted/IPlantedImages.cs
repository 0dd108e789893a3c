using System.Security.Cryptography;
using System.Text;

namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// A split of planted images as the reliance check, the accuracies and the ground-truth list read it: each image's
/// <see cref="Planting"/> by position, and the images as planted, without their marks and without their decoys, each a
/// catalogue read on demand. Fashion-MNIST's splits are held in memory (<see cref="PlantedSplit"/>); photographs at
/// 224 × 224 are made image by image (<see cref="PlantedPhotoSplit"/>).
/// </summary>
public interface IPlantedImages
{
    /// <summary>The benchmark's name, which is its model's and its image source's.</summary>
    string Benchmark { get; }

    /// <summary>The command that trains the benchmark's model and writes its ground-truth list.</summary>
    string TrainCommand { get; }

    string Split { get; }

    PlantedRecipe Recipe { get; }

    IReadOnlyList<Planting> Plantings { get; }

    /// <summary>The planted images, labelled as the recipe says.</summary>
    ImageCatalog Planted();

    /// <summary>The planted images with their marks erased, labelled with their own classes.</summary>
    ImageCatalog WithoutMarks();

    /// <summary>The planted images with their decoys erased, labelled as the recipe says.</summary>
    ImageCatalog WithoutDecoys();

    /// <summary>
    /// A digest of every decision that made the images (keys, classes, places and patterns, and for photographs the
    /// crops): equal digests mean the same images, which a list computed once from them relies on.
    /// </summary>
    string Fingerprint();
}

public static class PlantedImages
{
    /// <summary>The positions of the images that carry a mark.</summary>
    public static IReadOnlyList<int> Marked(this IPlantedImages images) =>
        Enumerable.Range(0, images.Plantings.Count).Where(p => images.Plantings[p].IsMarked).ToArray();

    /// <summary>The first 16 hex digits of the SHA-256 of the lines, one per image.</summary>
    public static string Fingerprint(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines) text.Append(line).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>The catalogue's images at <paramref name="positions"/>, in that order.</summary>
    public static ImageCatalog At(this ImageCatalog catalog, IEnumerable<int> positions) =>
        catalog.Select(positions.Select(p => (p, p)).ToArray());
}
