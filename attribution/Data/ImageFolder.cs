using SkiaSharp;

namespace Saliency.Attribution.Data;

/// <summary>
/// Images under ROOT/CLASS/*.png|jpg|jpeg, labelled by their sub-folder (sorted by name), decoded
/// with SkiaSharp and resized to the shape the model declares.
/// </summary>
public static class ImageFolder
{
    static readonly string[] Extensions = { ".png", ".jpg", ".jpeg" };

    public static ImageSet Load(string root, ImageShape shape)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"image folder not found: {root}");
        if (shape.Channels is not (1 or 3))
            throw new ArgumentException($"image folder {root}: models with {shape.Channels} channels are not supported (1 or 3)");

        var classes = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        var files = classes
            .SelectMany((name, label) => Directory.EnumerateFiles(Path.Combine(root, name))
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal)
                .Select(file => (file, label)))
            .ToArray();
        if (files.Length == 0)
            throw new InvalidDataException($"image folder {root}: no PNG or JPEG files in any class sub-folder");

        var pixels = new float[files.Length * shape.Size];
        for (var i = 0; i < files.Length; i++)
            Decode(files[i].file, shape, pixels.AsSpan(i * shape.Size, shape.Size));
        return new ImageSet($"folder:{root}", shape, pixels, Enumerable.Range(0, files.Length).ToArray(),
            files.Select(f => f.label).ToArray(), classes);
    }

    static void Decode(string file, ImageShape shape, Span<float> destination)
    {
        using var decoded = SKBitmap.Decode(file)
            ?? throw new InvalidDataException($"{file}: not a decodable PNG or JPEG image");
        using var resized = decoded.Width == shape.Width && decoded.Height == shape.Height
            ? decoded.Copy(SKColorType.Rgba8888)
            : decoded.Resize(new SKImageInfo(shape.Width, shape.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul),
                new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        var plane = shape.Height * shape.Width;
        for (var y = 0; y < shape.Height; y++)
        for (var x = 0; x < shape.Width; x++)
        {
            var colour = resized.GetPixel(x, y);
            var at = y * shape.Width + x;
            if (shape.Channels == 1)
                destination[at] = (0.299f * colour.Red + 0.587f * colour.Green + 0.114f * colour.Blue) / 255f;
            else
            {
                destination[at] = colour.Red / 255f;
                destination[plane + at] = colour.Green / 255f;
                destination[2 * plane + at] = colour.Blue / 255f;
            }
        }
    }
}
