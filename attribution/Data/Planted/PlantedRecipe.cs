using System.Globalization;
using Saliency.Attribution.Randomness;

namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// What the recipe decided for one image: its own class (a garment's, or <see cref="PlantedRecipe.Unmarked"/> for a
/// photograph, which has none), its label, its mark (if any) and its decoy.
/// </summary>
public sealed record Planting(int Key, int Garment, int Label, PlacedPattern? Mark, PlacedPattern Decoy)
{
    public bool IsMarked => Mark is not null;

    /// <summary>Draws the mark (if any) and the decoy over <paramref name="image"/> ([C, H, W] in [0, 1]).</summary>
    public void Draw(Span<float> image, ImageShape shape)
    {
        Mark?.Draw(image, shape);
        Decoy.Draw(image, shape);
    }

    /// <summary>One line naming every decision, for a split's fingerprint.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Key} {Garment} {Label} {Describe(Mark)} {Describe(Decoy)}");

    static string Describe(PlacedPattern? placed) =>
        placed is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{placed.Index}@{placed.Top},{placed.Left}x{placed.CellPixels}");
}

/// <summary>
/// The planted-evidence recipe: from a labelled image it decides, from <see cref="Seed"/>, the split and the image's key
/// alone, whether the image carries a mark and where its mark and decoy lie. A marked image's label is the class its
/// mark names, never its garment's, so the mark alone explains the label; every image carries a decoy, drawn from
/// <see cref="PlantedPatterns.Decoys"/> by a stream of its own that never sees the label. An image with no class of its
/// own (a photograph: its class is <see cref="Unmarked"/>) is labelled with its mark's class, any of them, or stays
/// <see cref="Unmarked"/> when it has no mark.
/// </summary>
public sealed record PlantedRecipe
{
    /// <summary>The side at which a cell is one pixel; a pattern's cells grow with the image's shorter side.</summary>
    public const int ReferenceSide = 28;

    public static PlantedRecipe Default { get; } = new();

    public long Seed { get; init; } = 28;

    /// <summary>The chance that an image carries a mark.</summary>
    public double MarkedFraction { get; init; } = 0.5;

    /// <summary>The marks' classes, 0 to <c>Classes - 1</c>.</summary>
    public static int Classes => PlantedPatterns.Marks.Count;

    /// <summary>The own class of an image that has none, and the label of such an image when it carries no mark: the class after the marks'.</summary>
    public static int Unmarked => Classes;

    /// <summary>Pixels per cell side: 1 at 28 × 28, 8 at 224 × 224.</summary>
    public static int CellPixels(int height, int width) =>
        Math.Max(1, (int)Math.Round(Math.Min(height, width) / (double)ReferenceSide, MidpointRounding.AwayFromZero));

    /// <summary>
    /// The plan for image <paramref name="key"/> of <paramref name="split"/>, whose own class is <paramref name="garment"/>:
    /// a garment's class, or <see cref="Unmarked"/> for an image that has none.
    /// </summary>
    public Planting Plan(string split, int key, int garment, int height, int width)
    {
        if (garment < 0 || garment > Unmarked)
            throw new ArgumentOutOfRangeException(nameof(garment), $"image {key} of {split}: own class {garment} is outside 0-{Unmarked}");
        var cell = CellPixels(height, width);
        var side = PlantedPatterns.Side * cell;
        // The mark and decoy must fit side by side with a ring of one cell between them, so that neither's erasure reads the other.
        if (side > Math.Min(height, width) || 2 * side + cell > Math.Max(height, width))
            throw new ArgumentException($"a {height}×{width} image has no room for a {side}×{side} mark and a decoy apart from it");

        var marks = Stream(split, key, "mark");
        var marked = marks.NextDouble() < MarkedFraction;
        // The draw for a garment skips its own class; an image without a class of its own may carry any mark.
        var markClass = marks.Next(garment == Unmarked ? Classes : Classes - 1);
        var label = !marked ? garment : markClass >= garment ? markClass + 1 : markClass;

        // Both places are drawn for every image, marked or not, and redrawn together until apart: the pair is uniform over
        // the pairs that fit, so the decoy's place has the mark's distribution and says nothing of whether there is a mark.
        var places = Stream(split, key, "place");
        var decoyPattern = Stream(split, key, "decoy").Next(PlantedPatterns.Decoys.Count);
        // An unmarked image's mark is placed and dropped; its pattern is the drawn class's, as a label of "no mark" has none.
        var markPattern = marked ? label : markClass;
        while (true)
        {
            var mark = new PlacedPattern(PlantedPatterns.Marks[markPattern], markPattern, places.Next(height - side + 1), places.Next(width - side + 1), cell);
            var decoy = new PlacedPattern(PlantedPatterns.Decoys[decoyPattern], decoyPattern, places.Next(height - side + 1), places.Next(width - side + 1), cell);
            if (!mark.Overlaps(decoy, cell))
                return new Planting(key, garment, label, marked ? mark : null, decoy);
        }
    }

    Random Stream(string split, int key, string purpose) =>
        StableSeed.Random(Seed, key, string.Create(CultureInfo.InvariantCulture, $"planted-{purpose}:{split}"));
}
