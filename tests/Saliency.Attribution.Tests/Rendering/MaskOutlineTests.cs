using Saliency.Attribution.Metrics.Localisation;
using Saliency.Attribution.Rendering;
using Saliency.Attribution.Tests.Localisation;
using SkiaSharp;

namespace Saliency.Attribution.Tests.Rendering;

public class MaskOutlineTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void A_box_outline_is_the_perimeter_of_the_box_drawn_at_scale(int scale)
    {
        var box = GroundTruthMask.Box(10, 12, top: 2, left: 3, boxHeight: 4, boxWidth: 5);

        var outline = MaskOutline.Of(box, scale);

        var (top, left, bottom, right) = (2 * scale, 3 * scale, (2 + 4) * scale - 1, (3 + 5) * scale - 1);
        Assert.Equal(2 * (4 * scale + 5 * scale) - 4, outline.Count);
        for (var y = 0; y < outline.Height; y++)
            for (var x = 0; x < outline.Width; x++)
            {
                var inBox = y >= top && y <= bottom && x >= left && x <= right;
                var onPerimeter = inBox && (y == top || y == bottom || x == left || x == right);
                Assert.True(onPerimeter == outline[y, x], $"pixel ({y}, {x}) is {(outline[y, x] ? "" : "not ")}on the outline");
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void An_outline_is_as_large_as_its_mask_times_the_scale(int scale)
    {
        var outline = MaskOutline.Of(GroundTruthMask.Box(7, 9, 1, 1, 2, 2), scale);

        Assert.Equal((7 * scale, 9 * scale), (outline.Height, outline.Width));
    }

    [Fact]
    public void An_empty_mask_has_no_outline()
    {
        var outline = MaskOutline.Of(new GroundTruthMask(6, 6, new bool[36]), scale: 4);

        Assert.Equal(0, outline.Count);
    }

    [Fact]
    public void A_single_pixel_is_its_own_outline_at_scale_one_and_a_ring_above()
    {
        var pixel = Masks.Of("000", "010", "000");

        Assert.Equal(1, MaskOutline.Of(pixel).Count);
        Assert.True(MaskOutline.Of(pixel)[1, 1]);
        var scaled = MaskOutline.Of(pixel, scale: 3);
        Assert.Equal(8, scaled.Count);
        Assert.False(scaled[4, 4]);
    }

    [Fact]
    public void The_picture_edge_closes_the_outline_of_a_mask_that_touches_it()
    {
        var whole = MaskOutline.Of(GroundTruthMask.Box(5, 8, 0, 0, 5, 8), scale: 2);

        Assert.Equal(2 * (10 + 16) - 4, whole.Count);
        Assert.True(whole[0, 7]);
        Assert.True(whole[9, 15]);
        Assert.False(whole[5, 7]);
    }

    [Fact]
    public void A_hole_in_a_mask_is_outlined_too()
    {
        var ring = Masks.Of(
            "00000",
            "01110",
            "01010",
            "01110",
            "00000");

        var outline = MaskOutline.Of(ring);

        Assert.Equal(8, outline.Count);
        Assert.False(outline[2, 2]);
    }

    [Fact]
    public void Drawing_paints_the_outline_pixels_in_the_outline_colour_and_leaves_the_rest()
    {
        var outline = MaskOutline.Of(GroundTruthMask.Box(4, 4, 1, 1, 2, 2), scale: 2);
        using var picture = new SKBitmap(new SKImageInfo(8, 8, SKColorType.Rgba8888, SKAlphaType.Opaque));
        picture.Erase(SKColors.White);

        outline.DrawOn(picture);

        for (var y = 0; y < 8; y++)
            for (var x = 0; x < 8; x++)
                Assert.Equal(outline[y, x] ? MaskOutline.Colour : SKColors.White, picture.GetPixel(x, y));
    }

    [Fact]
    public void An_outline_is_not_drawn_over_a_picture_of_another_size_and_the_error_names_both()
    {
        var outline = MaskOutline.Of(GroundTruthMask.Box(4, 4, 1, 1, 2, 2), scale: 2);
        using var picture = new SKBitmap(new SKImageInfo(4, 4, SKColorType.Rgba8888, SKAlphaType.Opaque));

        var error = Assert.Throws<ArgumentException>(() => outline.DrawOn(picture));

        Assert.Contains("8×8", error.Message);
        Assert.Contains("4×4", error.Message);
    }

    [Fact]
    public void A_scale_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskOutline.Of(GroundTruthMask.Box(4, 4, 1, 1, 2, 2), scale: 0));
    }
}
