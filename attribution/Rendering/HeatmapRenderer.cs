using Saliency.Attribution.Data;
using SkiaSharp;

namespace Saliency.Attribution.Rendering;

/// <summary>
/// Draws attribution maps as opaque bitmaps: the heat layer alone on white, or blended over the image
/// with an opacity that grows with the normalised magnitude. Images are [0, 1] pixels, channel-first,
/// shown in grey (1 channel) or colour (3 channels); every picture is upscaled by nearest neighbour.
/// </summary>
public sealed class HeatmapRenderer
{
    public HeatmapRenderer(HeatmapOptions? options = null)
    {
        Options = options ?? new HeatmapOptions();
        Options.Validate();
    }

    public HeatmapOptions Options { get; }

    /// <summary>The heat layer alone: white where nothing is kept, full ramp colour at the threshold.</summary>
    public SKBitmap RenderMap(ReadOnlySpan<float> map, ImageShape shape)
    {
        var heat = Normalise(map, shape);
        var colours = new SKColor[heat.Values.Length];
        for (var i = 0; i < colours.Length; i++)
            colours[i] = ColourRamp.Of(heat.Values[i], heat.Sign);
        return Upscaled(colours, shape);
    }

    /// <summary>
    /// The image with the heat layer over it. The map has the image's height and width and any number
    /// of channels, which are summed.
    /// </summary>
    public SKBitmap RenderBlended(ReadOnlySpan<float> image, ImageShape imageShape, ReadOnlySpan<float> map)
    {
        var heat = Normalise(map, MapShapeOver(imageShape, map.Length));
        var colours = ImageColours(image, imageShape);
        for (var i = 0; i < colours.Length; i++)
        {
            var alpha = Options.MaxAlpha * Math.Abs(heat.Values[i]);
            colours[i] = Blend(colours[i], ColourRamp.Of(heat.Values[i], heat.Sign), alpha);
        }
        return Upscaled(colours, imageShape);
    }

    /// <summary>The image alone, at the same scale as its heatmaps.</summary>
    public SKBitmap RenderImage(ReadOnlySpan<float> image, ImageShape shape) => Upscaled(ImageColours(image, shape), shape);

    public static void SavePng(SKBitmap bitmap, string path)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"{path}: the bitmap could not be encoded as PNG");
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>The shape of a map of <paramref name="length"/> values over an image of <paramref name="image"/>'s size.</summary>
    public static ImageShape MapShapeOver(ImageShape image, int length)
    {
        var plane = image.Height * image.Width;
        if (length == 0 || length % plane != 0)
            throw new ArgumentException($"an attribution map of {length} values does not cover a {image.Height}×{image.Width} image with whole channels");
        return image with { Channels = length / plane };
    }

    HeatPlane Normalise(ReadOnlySpan<float> map, ImageShape shape) =>
        HeatPlane.Normalise(map, shape, Options.Sign, Options.ThresholdPercentile);

    static SKColor[] ImageColours(ReadOnlySpan<float> image, ImageShape shape)
    {
        if (image.Length != shape.Size)
            throw new ArgumentException($"an image of {image.Length} values is not shaped {shape}", nameof(image));
        var plane = shape.Height * shape.Width;
        var colours = new SKColor[plane];
        for (var i = 0; i < plane; i++)
            colours[i] = shape.Channels switch
            {
                1 => new SKColor(Byte(image[i]), Byte(image[i]), Byte(image[i])),
                3 => new SKColor(Byte(image[i]), Byte(image[plane + i]), Byte(image[2 * plane + i])),
                _ => throw new ArgumentException($"images with 1 or 3 channels can be shown, not {shape.Channels}", nameof(shape)),
            };
        return colours;
    }

    static SKColor Blend(SKColor under, SKColor over, double alpha) => new(
        (byte)Math.Round(under.Red + alpha * (over.Red - under.Red)),
        (byte)Math.Round(under.Green + alpha * (over.Green - under.Green)),
        (byte)Math.Round(under.Blue + alpha * (over.Blue - under.Blue)));

    static byte Byte(float unit) => (byte)Math.Round(Math.Clamp(unit, 0f, 1f) * 255);

    SKBitmap Upscaled(SKColor[] colours, ImageShape shape)
    {
        var scale = Options.ScaleFor(shape);
        var (width, height) = (shape.Width * scale, shape.Height * scale);
        var pixels = new SKColor[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                pixels[y * width + x] = colours[y / scale * shape.Width + x / scale];
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Pixels = pixels;
        return bitmap;
    }
}
