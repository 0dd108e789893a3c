using System.Globalization;
using Saliency.Attribution.Randomness;

namespace Saliency.Attribution.Data.Planted;

/// <summary>What the recipe decided for one image: its garment's class, its label, its mark (if any) and its decoy.</summary>
public sealed record Planting(int Key, int Garment, int Label, PlacedPattern? Mark, PlacedPattern Decoy)
{
    public bool IsMarked => Mark is not null;
}

/// <summary>
/// The planted-evidence recipe: from a labelled image it decides, from <see cref="Seed"/>, the split and the image's key
/// alone, whether the image carries a mark and where its mark and decoy lie. A marked image's label is the class its
/// mark names, never its garment's, so the mark alone explains the label; every image carries a decoy, drawn from
/// <see cref="PlantedPatterns.Decoys"/> by a stream of its own that never sees the label.
/// </summary>
public sealed record PlantedRecipe
{
    /// <summary>The side at which a cell is one pixel; a pattern's cells grow with the image's shorter side.</summary>
    public const int ReferenceSide = 28;

    public static PlantedRecipe Default { get; } = new();

    public long Seed { get; init; } = 28;

    /// <summary>The chance that an image carries a mark.</summary>
    public double MarkedFraction { get; init; } = 0.5;

    public static int Classes => PlantedPatterns.Marks.Count;

    /// <summary>Pixels per cell side: 1 at 28 × 28, 8 at 224 × 224.</summary>
    public static int CellPixels(int height, int width) =>
        Math.Max(1, (int)Math.Round(Math.Min(height, width) / (double)ReferenceSide, MidpointRounding.AwayFromZero));

    /// <summary>The plan for image <paramref name="key"/> of <paramref name="split"/>, whose garment is of class <paramref name="garment"/>.</summary>
    public Planting Plan(string split, int key, int garment, int height, int width)
    {
        if (garment < 0 || garment >= Classes)
            throw new ArgumentOutOfRangeException(nameof(garment), $"image {key} of {split}: garment class {garment} is outside 0-{Classes - 1}");
        var cell = CellPixels(height, width);
        var side = PlantedPatterns.Side * cell;
        // The mark and decoy must fit side by side with a ring of one cell between them, so that neither's erasure reads the other.
        if (side > Math.Min(height, width) || 2 * side + cell > Math.Max(height, width))
            throw new ArgumentException($"a {height}×{width} image has no room for a {side}×{side} mark and a decoy apart from it");

        var marks = Stream(split, key, "mark");
        var marked = marks.NextDouble() < MarkedFraction;
        var markClass = marks.Next(Classes - 1);
        var label = !marked ? garment : markClass >= garment ? markClass + 1 : markClass;

        // Both places are drawn for every image, marked or not, and redrawn together until apart: the pair is uniform over
        // the pairs that fit, so the decoy's place has the mark's distribution and says nothing of whether there is a mark.
        var places = Stream(split, key, "place");
        var decoyPattern = Stream(split, key, "decoy").Next(PlantedPatterns.Decoys.Count);
        while (true)
        {
            var mark = new PlacedPattern(PlantedPatterns.Marks[label], label, places.Next(height - side + 1), places.Next(width - side + 1), cell);
            var decoy = new PlacedPattern(PlantedPatterns.Decoys[decoyPattern], decoyPattern, places.Next(height - side + 1), places.Next(width - side + 1), cell);
            if (!mark.Overlaps(decoy, cell))
                return new Planting(key, garment, label, marked ? mark : null, decoy);
        }
    }

    Random Stream(string split, int key, string purpose) =>
        StableSeed.Random(Seed, key, string.Create(CultureInfo.InvariantCulture, $"planted-{purpose}:{split}"));
}
