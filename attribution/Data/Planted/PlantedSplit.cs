namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// A split of labelled images with the recipe applied: the planted images (labelled as the recipe says) and, by
/// position, each one's <see cref="Planting"/>. The same images with their marks or decoys erased are one call away.
/// </summary>
public sealed class PlantedSplit : IPlantedImages
{
    readonly ImageSet garments;

    PlantedSplit(ImageSet garments, ImageSet images, IReadOnlyList<Planting> plantings, string split, PlantedRecipe recipe) =>
        (this.garments, Images, Plantings, Split, Recipe) = (garments, images, plantings, split, recipe);

    /// <param name="garments">The images as they come, labelled with their garments' classes.</param>
    /// <param name="split">The split's name, which enters every random draw so that the splits' draws differ.</param>
    public static PlantedSplit Of(ImageSet garments, string split, PlantedRecipe? recipe = null)
    {
        recipe ??= PlantedRecipe.Default;
        var shape = garments.Shape;
        var plantings = garments.Keys.Select((key, p) => recipe.Plan(split, key, garments.Labels[p], shape.Height, shape.Width)).ToArray();
        var pixels = (float[])garments.Pixels.Clone();
        for (var p = 0; p < plantings.Length; p++)
            plantings[p].Draw(pixels.AsSpan(p * shape.Size, shape.Size), shape);
        var images = new ImageSet($"{PlantedFashion.Name}:{split}", shape, pixels, garments.Keys, plantings.Select(t => t.Label).ToArray(), garments.ClassNames);
        return new PlantedSplit(garments, images, plantings, split, recipe);
    }

    public string Benchmark => PlantedFashion.Name;

    public string TrainCommand => PlantedFashion.TrainCommand;

    public string Split { get; }

    public PlantedRecipe Recipe { get; }

    /// <summary>The planted images, labelled as the recipe says.</summary>
    public ImageSet Images { get; }

    public IReadOnlyList<Planting> Plantings { get; }

    /// <summary>The positions of the images that carry a mark.</summary>
    public IReadOnlyList<int> Marked => PlantedImages.Marked(this);

    /// <summary>The planted images with their marks erased, labelled with their garments' classes: what is left is the garment and the decoy.</summary>
    public ImageSet WithoutMarks() =>
        Erased(t => t.Mark, garments.Labels);

    /// <summary>The planted images with their decoys erased, labelled as the recipe says.</summary>
    public ImageSet WithoutDecoys() =>
        Erased(t => t.Decoy, Images.Labels);

    /// <summary>A digest of every planting (key, classes, places and patterns).</summary>
    public string Fingerprint() => PlantedImages.Fingerprint(Plantings.Select(t => t.Describe()));

    ImageCatalog IPlantedImages.Planted() => ImageCatalog.Of(Images);

    ImageCatalog IPlantedImages.WithoutMarks() => ImageCatalog.Of(WithoutMarks());

    ImageCatalog IPlantedImages.WithoutDecoys() => ImageCatalog.Of(WithoutDecoys());

    ImageSet Erased(Func<Planting, PlacedPattern?> pattern, int[] labels)
    {
        var shape = Images.Shape;
        var pixels = (float[])Images.Pixels.Clone();
        for (var p = 0; p < Plantings.Count; p++)
            pattern(Plantings[p])?.Erase(pixels.AsSpan(p * shape.Size, shape.Size), shape);
        return new ImageSet(Images.Source, shape, pixels, Images.Keys, labels, Images.ClassNames);
    }
}
