using Saliency.Attribution.Metrics.Localisation;
using SkiaSharp;

namespace Saliency.Attribution.Data.GroundTruth;

/// <summary>
/// Takes a mask drawn on an image file's pixels to the model's input, as <see cref="ImageDecoder"/> takes the image:
/// resized with the image and cropped where it is, sampled by nearest neighbour so that every pixel stays in or out.
/// </summary>
public sealed class MaskGeometry(ImagePreprocess preprocess)
{
    /// <summary>An image file's upright width and height, read from its header alone.</summary>
    /// <exception cref="BadImageException">The file cannot be read as an image.</exception>
    public static (int Width, int Height) SizeOf(string file, int key)
    {
        using var codec = SKCodec.Create(file) ?? throw new BadImageException(key, file, "not a decodable image, so its mask cannot be placed");
        var swapped = codec.EncodedOrigin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        return swapped ? (codec.Info.Height, codec.Info.Width) : (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>
    /// The mask at <paramref name="shape"/>'s size of one that flags <paramref name="inside"/> over a
    /// <paramref name="width"/> × <paramref name="height"/> image, row-major.
    /// </summary>
    /// <exception cref="BadImageException">No flagged pixel survives the crop.</exception>
    public GroundTruthMask Place(bool[] inside, int width, int height, ImageShape shape, int key, string file)
    {
        var geometry = preprocess.Geometry(width, height, shape);
        var flags = new bool[shape.Height * shape.Width];
        for (var y = 0; y < shape.Height; y++)
        {
            var sourceY = Math.Min(height - 1, (int)((y + geometry.Top + 0.5) * height / geometry.Height));
            for (var x = 0; x < shape.Width; x++)
            {
                var sourceX = Math.Min(width - 1, (int)((x + geometry.Left + 0.5) * width / geometry.Width));
                flags[y * shape.Width + x] = inside[sourceY * width + sourceX];
            }
        }
        var mask = new GroundTruthMask(shape.Height, shape.Width, flags);
        if (mask.Foreground == 0)
            throw new BadImageException(key, file, $"the mask has no pixel inside once taken to the model's {shape.Width}×{shape.Height} input (it lies outside the crop, or is too small)");
        return mask;
    }
}
