using System.Globalization;
using Saliency.Attribution.Randomness;

namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// A split of the photos-planted benchmark: image <c>key</c> is a crop of one of the <see cref="SourcePhotographs"/>
/// (<see cref="PhotoCrop"/>, drawn from the recipe's seed, the split and the key), resized to 224 × 224, with the recipe's
/// mark and decoy drawn over it as on Fashion-MNIST, cells of 8 pixels. A photograph has no class of its own, so its label
/// is its mark's class, or <see cref="PlantedRecipe.Unmarked"/> ("no mark") when it has none. Nothing is held but the
/// decisions: each image is made when it is read, so a worker makes only the images it computes.
/// </summary>
public sealed class PlantedPhotoSplit : IPlantedImages
{
    enum Variant { Planted, WithoutMark, WithoutDecoy }

    readonly SourcePhotographs photographs;
    readonly int[] keys;

    PlantedPhotoSplit(string split, PlantedRecipe recipe, SourcePhotographs photographs, int count)
    {
        (Split, Recipe, this.photographs) = (split, recipe, photographs);
        keys = Enumerable.Range(0, count).ToArray();
        var shape = PlantedPhotographs.Shape;
        Crops = keys.Select(key => PhotoCrop.Draw(StableSeed.Random(recipe.Seed, key, $"photos-crop:{split}"), photographs.Count, photographs.Side)).ToArray();
        Plantings = keys.Select(key => recipe.Plan(split, key, PlantedRecipe.Unmarked, shape.Height, shape.Width)).ToArray();
    }

    /// <param name="count">How many images the split has: keys 0 to count - 1.</param>
    public static PlantedPhotoSplit Of(string split, int count, PlantedRecipe recipe, SourcePhotographs? photographs = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new PlantedPhotoSplit(split, recipe, photographs ?? SourcePhotographs.Default, count);
    }

    public string Benchmark => PlantedPhotographs.Name;

    public string TrainCommand => PlantedPhotographs.TrainCommand;

    public string Split { get; }

    public PlantedRecipe Recipe { get; }

    public IReadOnlyList<Planting> Plantings { get; }

    /// <summary>Each image's crop, by position.</summary>
    public IReadOnlyList<PhotoCrop> Crops { get; }

    public string Source => string.Create(CultureInfo.InvariantCulture, $"{PlantedPhotographs.Name}:{Split}");

    public ImageCatalog Planted() => Catalog(Variant.Planted, Plantings.Select(p => p.Label));

    public ImageCatalog WithoutMarks() => Catalog(Variant.WithoutMark, Plantings.Select(p => p.Garment));

    public ImageCatalog WithoutDecoys() => Catalog(Variant.WithoutDecoy, Plantings.Select(p => p.Label));

    /// <summary>A digest of every planting and every crop, and of the photographs' names.</summary>
    public string Fingerprint() => PlantedImages.Fingerprint(
        photographs.Names.Concat(Plantings.Select((t, p) => t.Describe() + " " + Crops[p].Describe())));

    /// <summary>Writes image <paramref name="key"/>: its crop, its mark and decoy, and the erasure <paramref name="variant"/> asks for.</summary>
    void Render(int key, Variant variant, ImageShape shape, Span<float> destination)
    {
        if (shape != PlantedPhotographs.Shape)
            throw new ArgumentException($"{Source}: images are {PlantedPhotographs.Shape}, not {shape}");
        if (key < 0 || key >= keys.Length)
            throw new ArgumentOutOfRangeException(nameof(key), $"{Source}: image {key} is outside 0-{keys.Length - 1}");
        Crops[key].Render(photographs, shape, destination);
        var planting = Plantings[key];
        planting.Draw(destination, shape);
        if (variant == Variant.WithoutMark) planting.Mark?.Erase(destination, shape);
        if (variant == Variant.WithoutDecoy) planting.Decoy.Erase(destination, shape);
    }

    ImageCatalog Catalog(Variant variant, IEnumerable<int> labels) =>
        new(Source, PlantedPhotographs.Shape, new Store(this, variant), keys, labels.ToArray(), PlantedPhotographs.ClassNames);

    sealed class Store(PlantedPhotoSplit split, Variant variant) : IImageStore
    {
        public string Describe(int key) => string.Create(CultureInfo.InvariantCulture, $"image {key} of {split.Source}");

        public void Read(int key, ImageShape shape, Span<float> destination) => split.Render(key, variant, shape, destination);
    }
}
