using Saliency.Attribution.Data;
using Saliency.Attribution.Rendering;
using SkiaSharp;

namespace Saliency.Attribution.Tests;

public class RenderingTests
{
    static readonly ImageShape Square = new(1, 2, 2);
    static readonly ImageShape Fashion = new(1, 28, 28);

    [Fact]
    public void Positive_mode_colours_positive_attributions_green_and_negative_ones_white()
    {
        using var heatmap = SavedAndDecoded(Renderer(SignMode.Positive).RenderMap(new[] { 1f, -1f, 0.5f, -0.5f }, Square));

        AssertDominant(heatmap.GetPixel(0, 0), green: true);
        Assert.Equal(SKColors.White, heatmap.GetPixel(1, 0));
        Assert.Equal(SKColors.White, heatmap.GetPixel(1, 1));
    }

    [Fact]
    public void Positive_mode_leaves_the_image_untouched_where_attributions_are_negative()
    {
        var grey = new[] { 0.5f, 0.5f, 0.5f, 0.5f };

        using var blended = SavedAndDecoded(Renderer(SignMode.Positive).RenderBlended(grey, Square, new[] { 1f, -1f, 0.5f, -0.5f }));

        Assert.Equal(new SKColor(128, 128, 128), blended.GetPixel(1, 0));
        Assert.Equal(new SKColor(128, 128, 128), blended.GetPixel(1, 1));
        AssertDominant(blended.GetPixel(0, 0), green: true, by: 30);
    }

    [Fact]
    public void Negative_mode_colours_negative_attributions_red_and_positive_ones_white()
    {
        using var heatmap = SavedAndDecoded(Renderer(SignMode.Negative).RenderMap(new[] { 1f, -1f, 0.5f, -0.5f }, Square));

        AssertDominant(heatmap.GetPixel(1, 0), red: true);
        Assert.Equal(SKColors.White, heatmap.GetPixel(0, 0));
    }

    [Fact]
    public void Absolute_mode_colours_both_signs_blue()
    {
        using var heatmap = SavedAndDecoded(Renderer(SignMode.Absolute).RenderMap(new[] { 1f, -1f, 0f, 0f }, Square));

        AssertDominant(heatmap.GetPixel(0, 0), blue: true);
        AssertDominant(heatmap.GetPixel(1, 0), blue: true);
        Assert.Equal(heatmap.GetPixel(0, 0), heatmap.GetPixel(1, 0));
    }

    [Fact]
    public void All_mode_colours_positive_attributions_red_negative_ones_blue_and_zero_white()
    {
        using var heatmap = SavedAndDecoded(Renderer(SignMode.All).RenderMap(new[] { 1f, -1f, 0f, 0f }, Square));

        AssertDominant(heatmap.GetPixel(0, 0), red: true);
        AssertDominant(heatmap.GetPixel(1, 0), blue: true);
        Assert.Equal(SKColors.White, heatmap.GetPixel(0, 1));
    }

    [Fact]
    public void A_single_outlier_a_thousand_times_larger_does_not_wash_out_the_rest()
    {
        // 99 values rising from 0.5 to 1, then one of 1000: the 98th percentile falls between the
        // third- and second-largest values, so the second-largest is clipped to full colour.
        var map = Enumerable.Range(0, 99).Select(i => 0.5f + 0.5f * i / 98).Append(1000f).ToArray();
        var shape = new ImageShape(1, 10, 10);

        using var heatmap = SavedAndDecoded(Renderer(SignMode.Positive).RenderMap(map, shape));

        var fullColour = ColourRamp.WhiteToGreen.At(1);
        Assert.Equal(fullColour, heatmap.GetPixel(9, 9));
        Assert.Equal(fullColour, heatmap.GetPixel(8, 9));
        AssertDominant(heatmap.GetPixel(0, 0), green: true);
    }

    [Fact]
    public void At_the_100th_percentile_the_outlier_alone_reaches_full_colour()
    {
        var map = Enumerable.Repeat(1f, 99).Append(1000f).ToArray();

        var heat = HeatPlane.Normalise(map, new ImageShape(1, 10, 10), SignMode.Positive, thresholdPercentile: 100);

        Assert.Equal(1000, heat.Threshold);
        Assert.Equal(1f, heat[9, 9]);
        Assert.Equal(0.001f, heat[0, 0], 1e-6f);
    }

    [Fact]
    public void Zeros_do_not_count_towards_the_threshold_so_a_sparse_map_still_shows()
    {
        var map = new float[784];
        map[300] = 0.2f;
        map[301] = 0.4f;

        var heat = HeatPlane.Normalise(map, Fashion, SignMode.Absolute);

        Assert.Equal(1f, heat.Values[301]);
        Assert.Equal(0.5f, heat.Values[300], 0.02f);
    }

    [Fact]
    public void An_all_zero_map_has_a_zero_threshold_and_renders_white_without_nan()
    {
        var zeros = new float[Fashion.Size];

        var heat = HeatPlane.Normalise(zeros, Fashion, SignMode.All);
        using var heatmap = SavedAndDecoded(Renderer(SignMode.All, scale: 1).RenderMap(zeros, Fashion));

        Assert.Equal(0, heat.Threshold);
        Assert.All(heat.Values, v => Assert.Equal(0f, v));
        Assert.All(heatmap.Pixels, p => Assert.Equal(SKColors.White, p));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void An_all_zero_map_blended_over_an_image_leaves_the_image_as_it_is(int channels)
    {
        var shape = Fashion with { Channels = channels };
        var image = channels == 1 ? TestData.FashionTest.Image(0).ToArray() : RandomPixels(shape.Size, seed: 3);
        var renderer = Renderer(SignMode.Positive, scale: 1);

        using var blended = SavedAndDecoded(renderer.RenderBlended(image, shape, new float[shape.Size]));

        var plane = shape.Height * shape.Width;
        for (var y = 0; y < shape.Height; y++)
            for (var x = 0; x < shape.Width; x++)
            {
                var at = y * shape.Width + x;
                var expected = channels == 1
                    ? new SKColor(Byte(image[at]), Byte(image[at]), Byte(image[at]))
                    : new SKColor(Byte(image[at]), Byte(image[plane + at]), Byte(image[2 * plane + at]));
                Assert.Equal(expected, blended.GetPixel(x, y));
            }
    }

    [Fact]
    public void Three_channel_maps_are_summed_over_channels_before_they_are_shown()
    {
        // Channel-first: pixel 0 has channels (3, −3, 0), which cancel; pixel 1 has (1, 1, 1).
        var map = new[] { 3f, 1f, -3f, 1f, 0f, 1f };

        var heat = HeatPlane.Normalise(map, new ImageShape(3, 1, 2), SignMode.Absolute, thresholdPercentile: 100);
        using var heatmap = SavedAndDecoded(Renderer(SignMode.Absolute).RenderMap(map, new ImageShape(3, 1, 2)));

        Assert.Equal(3, heat.Threshold);
        Assert.Equal(new[] { 0f, 1f }, heat.Values);
        Assert.Equal(SKColors.White, heatmap.GetPixel(0, 0));
        AssertDominant(heatmap.GetPixel(1, 0), blue: true);
    }

    [Fact]
    public void Blending_opacity_grows_with_the_normalised_magnitude_up_to_the_maximum_alpha()
    {
        var black = new float[4];
        var renderer = new HeatmapRenderer(new HeatmapOptions { Sign = SignMode.Positive, ThresholdPercentile = 100, MaxAlpha = 0.6, Scale = 1 });

        using var blended = SavedAndDecoded(renderer.RenderBlended(black, Square, new[] { 1f, 0.5f, 0f, 0f }));

        SKColor Faded(SKColor colour, double alpha) =>
            new((byte)Math.Round(alpha * colour.Red), (byte)Math.Round(alpha * colour.Green), (byte)Math.Round(alpha * colour.Blue));
        Assert.Equal(Faded(ColourRamp.WhiteToGreen.At(1), 0.6), blended.GetPixel(0, 0));
        Assert.Equal(Faded(ColourRamp.WhiteToGreen.At(0.5), 0.3), blended.GetPixel(1, 0));
        Assert.Equal(SKColors.Black, blended.GetPixel(0, 1));
    }

    [Theory]
    [InlineData(28, 28, 112, 112)]
    [InlineData(10, 30, 120, 360)]
    [InlineData(224, 224, 224, 224)]
    public void By_default_images_are_upscaled_until_the_shorter_side_is_at_least_112_pixels(int height, int width, int scaledHeight, int scaledWidth)
    {
        var shape = new ImageShape(1, height, width);

        using var heatmap = new HeatmapRenderer().RenderMap(new float[shape.Size], shape);

        Assert.Equal(scaledWidth, heatmap.Width);
        Assert.Equal(scaledHeight, heatmap.Height);
    }

    [Fact]
    public void Upscaling_repeats_each_pixel_over_a_square_block()
    {
        var renderer = new HeatmapRenderer(new HeatmapOptions { Sign = SignMode.All, ThresholdPercentile = 100, Scale = 3 });

        using var heatmap = SavedAndDecoded(renderer.RenderMap(new[] { 1f, -1f, 0.5f, 0f }, Square));

        Assert.Equal((6, 6), (heatmap.Width, heatmap.Height));
        for (var y = 0; y < 6; y++)
            for (var x = 0; x < 6; x++)
                Assert.Equal(heatmap.GetPixel(x / 3 * 3, y / 3 * 3), heatmap.GetPixel(x, y));
        Assert.Equal(4, new[] { heatmap.GetPixel(0, 0), heatmap.GetPixel(3, 0), heatmap.GetPixel(0, 3), heatmap.GetPixel(3, 3) }.Distinct().Count());
    }

    [Fact]
    public void A_map_holding_nan_is_rejected_with_where_it_is()
    {
        var error = Assert.Throws<ArgumentException>(() => HeatPlane.Normalise(new[] { 0f, float.NaN, 0f, 0f }, Square, SignMode.All));

        Assert.Contains("NaN", error.Message);
        Assert.Contains("pixel 1", error.Message);
    }

    [Fact]
    public void A_comparison_sheet_is_as_large_as_its_rows_columns_scale_header_and_caption_lines()
    {
        var sheet = Sheet(rows: 2, columns: 3) with
        {
            Captions = Grid(2, 3, (row, column) => $"{row}.{column}\n{column}"),
            Heatmap = new HeatmapOptions { Scale = 4 },
        };
        var path = Path.Combine(TestData.TemporaryDirectory(), "sheet.png");

        sheet.SavePng(path);
        using var decoded = SKBitmap.Decode(path);

        Assert.NotNull(decoded);
        var panel = 28 * 4;
        Assert.Equal(ComparisonSheet.Margin + 4 * (panel + ComparisonSheet.Margin), decoded.Width);
        Assert.Equal(ComparisonSheet.HeaderHeight + 2 * (panel + 2 * ComparisonSheet.CaptionLineHeight + ComparisonSheet.Margin), decoded.Height);
    }

    [Fact]
    public void A_comparison_sheet_without_captions_has_no_caption_band()
    {
        using var sheet = Sheet(rows: 3, columns: 1).Render();

        Assert.Equal(ComparisonSheet.HeaderHeight + 3 * (112 + ComparisonSheet.Margin), sheet.Height);
    }

    [Fact]
    public void The_first_column_of_a_sheet_shows_the_original_image()
    {
        var sheet = Sheet(rows: 2, columns: 2);

        using var decoded = SavedAndDecoded(sheet.Render());

        var image = sheet.Images[1];
        var top = ComparisonSheet.HeaderHeight + 112 + ComparisonSheet.Margin;
        for (var y = 0; y < 28; y++)
            for (var x = 0; x < 28; x++)
            {
                var grey = Byte(image[y * 28 + x]);
                Assert.Equal(new SKColor(grey, grey, grey), decoded.GetPixel(ComparisonSheet.Margin + 4 * x + 2, top + 4 * y + 2));
            }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Each_map_panel_of_a_sheet_is_the_heatmap_the_renderer_draws(bool blendOverImage)
    {
        var sheet = Sheet(rows: 2, columns: 2) with { BlendOverImage = blendOverImage, Heatmap = new HeatmapOptions { Sign = SignMode.All } };
        var renderer = new HeatmapRenderer(sheet.Heatmap);

        using var decoded = SavedAndDecoded(sheet.Render());
        using var expected = blendOverImage
            ? renderer.RenderBlended(sheet.Images[0], Fashion, sheet.Maps[0][1])
            : renderer.RenderMap(sheet.Maps[0][1], Fashion);

        var left = ComparisonSheet.Margin + 2 * (112 + ComparisonSheet.Margin);
        for (var y = 0; y < 112; y++)
            for (var x = 0; x < 112; x++)
                Assert.Equal(expected.GetPixel(x, y), decoded.GetPixel(left + x, ComparisonSheet.HeaderHeight + y));
    }

    [Fact]
    public void A_caption_wider_than_its_panel_widens_its_column()
    {
        var narrow = Sheet(rows: 1, columns: 2);
        var wide = narrow with { Captions = Grid(1, 2, (_, column) => column == 1 ? "deletion 0.123 · insertion 0.456 · steps 64" : null) };

        using var narrowSheet = narrow.Render();
        using var wideSheet = wide.Render();

        Assert.True(wideSheet.Width > narrowSheet.Width, $"{wideSheet.Width} px wide with a long caption, {narrowSheet.Width} px without");
    }

    [Fact]
    public void A_missing_font_file_still_renders_the_sheet()
    {
        var sheet = Sheet(rows: 1, columns: 2) with
        {
            FontFile = "/nonexistent/font.ttf",
            Captions = Grid(1, 2, (_, _) => "0.5"),
        };

        using var decoded = SavedAndDecoded(sheet.Render());

        Assert.Equal(ComparisonSheet.HeaderHeight + 112 + ComparisonSheet.CaptionLineHeight + ComparisonSheet.Margin, decoded.Height);
    }

    [Fact]
    public void A_sheet_whose_maps_do_not_match_its_column_titles_names_both_counts()
    {
        var sheet = Sheet(rows: 2, columns: 2) with { ColumnTitles = new[] { "only one" } };

        var error = Assert.Throws<ArgumentException>(() => sheet.Render());

        Assert.Contains("2 maps for 1 column titles", error.Message);
    }

    static HeatmapRenderer Renderer(SignMode sign, int scale = 1) =>
        new(new HeatmapOptions { Sign = sign, Scale = scale });

    /// <summary>Fashion-MNIST test images with maps that vary by row and column, so no two panels are alike.</summary>
    static ComparisonSheet Sheet(int rows, int columns) => new()
    {
        Shape = Fashion,
        Images = Enumerable.Range(0, rows).Select(row => TestData.FashionTest.Image(row).ToArray()).ToArray(),
        ColumnTitles = Enumerable.Range(0, columns).Select(column => $"m{column}").ToArray(),
        Maps = Enumerable.Range(0, rows)
            .Select(row => (IReadOnlyList<float[]>)Enumerable.Range(0, columns).Select(column => RandomPixels(Fashion.Size, seed: 10 * row + column, centred: true)).ToArray())
            .ToArray(),
    };

    static IReadOnlyList<IReadOnlyList<string?>> Grid(int rows, int columns, Func<int, int, string?> caption) =>
        Enumerable.Range(0, rows).Select(row => (IReadOnlyList<string?>)Enumerable.Range(0, columns).Select(column => caption(row, column)).ToArray()).ToArray();

    static float[] RandomPixels(int count, int seed, bool centred = false)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() - (centred ? 0.5f : 0f)).ToArray();
    }

    /// <summary>Writes the bitmap as PNG and reads it back, so assertions see what a file holds.</summary>
    static SKBitmap SavedAndDecoded(SKBitmap bitmap)
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "heatmap.png");
        using (bitmap) HeatmapRenderer.SavePng(bitmap, path);
        return SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} did not decode as PNG");
    }

    static byte Byte(float unit) => (byte)Math.Round(Math.Clamp(unit, 0f, 1f) * 255);

    static void AssertDominant(SKColor colour, bool red = false, bool green = false, bool blue = false, int by = 60)
    {
        var (dominant, others) = red ? (colour.Red, new[] { colour.Green, colour.Blue })
            : green ? (colour.Green, new[] { colour.Red, colour.Blue })
            : blue ? (colour.Blue, new[] { colour.Red, colour.Green })
            : throw new ArgumentException("name the dominant colour", nameof(blue));
        Assert.True(others.All(other => dominant >= other + by), $"{colour} is not {(red ? "red" : green ? "green" : "blue")}");
    }
}
