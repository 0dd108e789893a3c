using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics.Localisation;
using Saliency.Attribution.Rendering;
using SkiaSharp;

namespace Saliency.Attribution.Tests.Rendering;

public class OutlinedComparisonSheetTests
{
    const int Scale = 8;
    static readonly ImageShape Shape = new(3, 12, 14);
    static readonly (int Height, int Width) Panel = (Shape.Height * Scale, Shape.Width * Scale);

    [Fact]
    public void A_sheet_with_masks_differs_from_one_without_exactly_at_the_outline_of_every_panel_in_the_outline_colour()
    {
        var masks = new[] { GroundTruthMask.Box(12, 14, 2, 3, 4, 5), GroundTruthMask.Box(12, 14, 0, 6, 12, 8) };
        var plain = Sheet(rows: 2, columns: 2);

        using var without = plain.Render();
        using var with = (plain with { Masks = masks }).Render();

        var expected = new HashSet<(int X, int Y)>();
        for (var row = 0; row < 2; row++)
        {
            var outline = MaskOutline.Of(masks[row], Scale);
            for (var column = 0; column < 3; column++)
            {
                var (left, top) = PanelOrigin(row, column);
                foreach (var (y, x) in OutlinePixels(outline)) expected.Add((left + x, top + y));
            }
        }
        Assert.Equal(expected.OrderBy(p => p), Differences(without, with).OrderBy(p => p));
        Assert.All(expected, p => Assert.Equal(MaskOutline.Colour, with.GetPixel(p.X, p.Y)));
    }

    [Fact]
    public void A_row_without_a_mask_is_drawn_as_it_is_without_masks()
    {
        var plain = Sheet(rows: 2, columns: 1);

        using var without = plain.Render();
        using var with = (plain with { Masks = [GroundTruthMask.Box(12, 14, 2, 3, 4, 5), null] }).Render();

        var secondRowTop = PanelOrigin(1, 0).Top;
        Assert.NotEmpty(Differences(without, with));
        Assert.All(Differences(without, with), p => Assert.True(p.Y < secondRowTop, $"pixel ({p.X}, {p.Y}) of the unmasked row changed"));
    }

    [Fact]
    public void A_sheet_with_as_many_empty_masks_as_rows_is_the_sheet_without_masks()
    {
        var plain = Sheet(rows: 2, columns: 2);

        using var without = plain.Render();
        using var with = (plain with { Masks = [new GroundTruthMask(12, 14, new bool[168]), new GroundTruthMask(12, 14, new bool[168])] }).Render();

        Assert.Empty(Differences(without, with));
    }

    [Fact]
    public void A_mask_not_the_size_of_the_images_is_refused_with_both_sizes()
    {
        var sheet = Sheet(rows: 2, columns: 1) with { Masks = [null, GroundTruthMask.Box(10, 10, 1, 1, 2, 2)] };

        var error = Assert.Throws<ArgumentException>(() => sheet.Render());

        Assert.Contains("row 1", error.Message);
        Assert.Contains("10×10", error.Message);
        Assert.Contains("12×14", error.Message);
    }

    [Fact]
    public void A_sheet_with_fewer_masks_than_rows_names_both_counts()
    {
        var sheet = Sheet(rows: 2, columns: 1) with { Masks = [GroundTruthMask.Box(12, 14, 1, 1, 2, 2)] };

        var error = Assert.Throws<ArgumentException>(() => sheet.Render());

        Assert.Contains("1 ground-truth masks for 2 images", error.Message);
    }

    /// <summary>Colour images with maps that vary by row and column; titles short enough that every column is a panel wide.</summary>
    static ComparisonSheet Sheet(int rows, int columns) => new()
    {
        Shape = Shape,
        Images = Enumerable.Range(0, rows).Select(row => RandomValues(Shape.Size, seed: 100 + row)).ToArray(),
        ColumnTitles = Enumerable.Range(0, columns).Select(column => $"m{column}").ToArray(),
        Maps = Enumerable.Range(0, rows)
            .Select(row => (IReadOnlyList<float[]>)Enumerable.Range(0, columns).Select(column => RandomValues(Shape.Size, seed: 10 * row + column, centred: true)).ToArray())
            .ToArray(),
        Heatmap = new HeatmapOptions { Scale = Scale },
    };

    static (int Left, int Top) PanelOrigin(int row, int column) =>
        (ComparisonSheet.Margin + column * (Panel.Width + ComparisonSheet.Margin), ComparisonSheet.HeaderHeight + row * (Panel.Height + ComparisonSheet.Margin));

    static IEnumerable<(int Y, int X)> OutlinePixels(MaskOutline outline)
    {
        for (var y = 0; y < outline.Height; y++)
            for (var x = 0; x < outline.Width; x++)
                if (outline[y, x]) yield return (y, x);
    }

    static List<(int X, int Y)> Differences(SKBitmap first, SKBitmap second)
    {
        Assert.Equal((first.Width, first.Height), (second.Width, second.Height));
        var differences = new List<(int X, int Y)>();
        for (var y = 0; y < first.Height; y++)
            for (var x = 0; x < first.Width; x++)
                if (first.GetPixel(x, y) != second.GetPixel(x, y)) differences.Add((x, y));
        return differences;
    }

    static float[] RandomValues(int count, int seed, bool centred = false)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() - (centred ? 0.5f : 0f)).ToArray();
    }
}
