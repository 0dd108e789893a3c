using SkiaSharp;

namespace Saliency.Attribution.Data;

/// <summary>
/// Decodes one image file to [C, H, W] floats in [0, 1], the torchvision way: EXIF orientation applied, grey,
/// palette, CMYK and alpha images made RGB (alpha dropped, as PIL's <c>convert("RGB")</c> drops it), the shorter
/// side resized and the centre cropped (<see cref="ImagePreprocess"/>), in one resampling pass. A JPEG much larger
/// than the output is decoded at a reduced scale first, which libjpeg does at a fraction of the cost.
/// </summary>
public static class ImageDecoder
{
    /// <summary>
    /// The most pixels an image may have, PIL's limit (about 89 megapixels): a small file can declare 65,535 × 65,535
    /// pixels, a 17 GB bitmap. Larger images are bad images, so <c>on_bad_image: skip</c> skips them.
    /// </summary>
    public const long MaxPixels = 89_478_485;

    /// <summary>The largest image file read, far above any photograph; a bigger one is refused before it is read.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <exception cref="BadImageException">The file is missing, empty, truncated, corrupt or not an image.</exception>
    /// <param name="judged">The file's path is a real path judged against allowed roots: what is opened must still be that file.</param>
    public static void Decode(string file, int key, ImageShape shape, ImagePreprocess preprocess, Span<float> destination, bool judged = false)
    {
        if (destination.Length != shape.Size)
            throw new ArgumentException($"{file}: destination holds {destination.Length} values, not {shape.Size} ({shape})");
        if (shape.Channels is not (1 or 3))
            throw new ArgumentException($"{file}: models with {shape.Channels} channels are not supported (1 or 3)");
        using var output = Render(file, key, shape, preprocess, judged);
        ToPlanar(output.GetPixelSpan(), shape, destination);
    }

    static SKBitmap Render(string file, int key, ImageShape shape, ImagePreprocess preprocess, bool judged)
    {
        byte[] bytes;
        try
        {
            var length = new FileInfo(file).Length;
            if (length > MaxFileBytes) throw new BadImageException(key, file, $"{length / 1048576.0:F0} MiB, above the limit of {MaxFileBytes >> 20} MiB for an image file");
            bytes = judged ? RealPaths.ReadJudged(file) : File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadImageException(key, file, $"cannot be read ({e.Message})");
        }
        if (bytes.Length == 0) throw new BadImageException(key, file, "empty file (0 bytes)");

        using var stream = new MemoryStream(bytes, writable: false);
        using var codec = SKCodec.Create(stream, out var opened)
            ?? throw new BadImageException(key, file, $"not a decodable image ({Describe(opened)}; PNG, JPEG, WebP, BMP and GIF are read)");
        var origin = codec.EncodedOrigin;
        var swapped = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > MaxPixels)
            throw new BadImageException(key, file, $"{width} × {height} pixels, above the limit of {MaxPixels:N0} pixels; it is not decoded");
        var (orientedWidth, orientedHeight) = swapped ? (height, width) : (width, height);
        var geometry = preprocess.Geometry(orientedWidth, orientedHeight, shape);

        // libjpeg decodes at 1/2, 1/4 or 1/8 for little more than the cost of reading the file; stay at or above the resized size.
        var reduction = Math.Min(geometry.Width / (double)orientedWidth, geometry.Height / (double)orientedHeight);
        var decodedSize = reduction < 1 ? codec.GetScaledDimensions((float)reduction) : new SKSizeI(width, height);
        if ((swapped ? decodedSize.Height : decodedSize.Width) < geometry.Width || (swapped ? decodedSize.Width : decodedSize.Height) < geometry.Height)
            decodedSize = new SKSizeI(width, height);

        using var decoded = new SKBitmap(new SKImageInfo(decodedSize.Width, decodedSize.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
            throw new BadImageException(key, file, result == SKCodecResult.IncompleteInput ? "truncated: the image data ends early" : $"corrupt ({Describe(result)})");
        DropAlpha(decoded);

        var output = new SKBitmap(new SKImageInfo(shape.Width, shape.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var exact = origin == SKEncodedOrigin.TopLeft && decodedSize.Width == shape.Width && decodedSize.Height == shape.Height;
        if (exact)
        {
            decoded.GetPixelSpan().CopyTo(output.GetPixelSpan());
            return output;
        }
        using var image = SKImage.FromPixels(decoded.Info.WithAlphaType(SKAlphaType.Opaque), decoded.GetPixels(), decoded.RowBytes);
        using var canvas = new SKCanvas(output);
        canvas.Translate(-geometry.Left, -geometry.Top);
        var (decodedWidth, decodedHeight) = swapped ? (decodedSize.Height, decodedSize.Width) : (decodedSize.Width, decodedSize.Height);
        var (scaleX, scaleY) = (geometry.Width / (float)decodedWidth, geometry.Height / (float)decodedHeight);
        canvas.Scale(scaleX, scaleY);
        canvas.Concat(Orientation(origin, decodedSize.Width, decodedSize.Height));
        // Bilinear sampling is enough down to half size; below that (a large PNG, which has no reduced decode) it would
        // skip pixels, and mipmaps average them first. Building mipmaps costs more than the draw, so only then.
        var mipmaps = Math.Min(scaleX, scaleY) < 0.5f ? SKMipmapMode.Linear : SKMipmapMode.None;
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, mipmaps));
        canvas.Flush();
        return output;
    }

    /// <summary>The matrix that turns the stored pixels of a <paramref name="width"/> × <paramref name="height"/> image upright, per its EXIF origin.</summary>
    static SKMatrix Orientation(SKEncodedOrigin origin, int width, int height) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, height, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, height, -1, 0, width, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, width, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    static void DropAlpha(SKBitmap bitmap)
    {
        if (bitmap.Info.AlphaType == SKAlphaType.Opaque) return;
        var pixels = bitmap.GetPixelSpan();
        var span = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(pixels), pixels.Length);
        for (var i = 3; i < span.Length; i += 4) span[i] = 255;
    }

    /// <summary>RGBA bytes, row by row, to planar floats; one channel is luminance with PIL's "L" weights.</summary>
    static void ToPlanar(ReadOnlySpan<byte> rgba, ImageShape shape, Span<float> destination)
    {
        var plane = shape.Height * shape.Width;
        if (shape.Channels == 1)
        {
            for (var p = 0; p < plane; p++)
                destination[p] = (0.299f * rgba[4 * p] + 0.587f * rgba[4 * p + 1] + 0.114f * rgba[4 * p + 2]) / 255f;
            return;
        }
        var red = destination[..plane];
        var green = destination.Slice(plane, plane);
        var blue = destination.Slice(2 * plane, plane);
        for (var p = 0; p < plane; p++)
        {
            red[p] = rgba[4 * p] / 255f;
            green[p] = rgba[4 * p + 1] / 255f;
            blue[p] = rgba[4 * p + 2] / 255f;
        }
    }

    static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data ends early",
        SKCodecResult.ErrorInInput => "invalid data",
        SKCodecResult.Unimplemented => "an unsupported format",
        SKCodecResult.InvalidInput => "invalid input",
        _ => result.ToString(),
    };
}
