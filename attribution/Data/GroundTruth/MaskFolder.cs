using Saliency.Attribution.Metrics.Localisation;
using SkiaSharp;

namespace Saliency.Attribution.Data.GroundTruth;

/// <summary>
/// Masks as a folder of PNGs, one per image under the image's relative name with <c>.png</c> for its extension
/// (<c>cats/001.jpg</c> → <c>cats/001.png</c>). A mask is binary: black outside and one other grey level inside, at the
/// image file's size; both are checked before it is resized. Each fault is a bad image, so <c>on_bad_image</c> decides.
/// </summary>
public sealed class MaskFolder : IMaskStore
{
    readonly string root;
    readonly ImageCatalog images;
    readonly Dictionary<int, int> positions;
    readonly MaskGeometry geometry;
    readonly AllowedRoots allowed;

    MaskFolder(string root, ImageCatalog images, MaskGeometry geometry, AllowedRoots allowed)
    {
        (this.root, this.images, this.geometry, this.allowed) = (root, images, geometry, allowed);
        positions = images.Keys.Select((key, position) => (key, position)).ToDictionary(p => p.key, p => p.position);
    }

    /// <param name="root">The folder, already judged against the allowed roots.</param>
    public static MaskFolder Open(string root, ImageCatalog images, MaskGeometry geometry, AllowedRoots? allowed = null)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"ground-truth folder not found: {root}");
        return new MaskFolder(root, images, geometry, allowed ?? AllowedRoots.Anywhere);
    }

    /// <summary>Where image <paramref name="position"/>'s mask must be.</summary>
    public string MaskPathOf(int position) =>
        Path.Combine(root, Path.ChangeExtension(images.RelativeNameOf(position)!, ".png").Replace('/', Path.DirectorySeparatorChar));

    public GroundTruthMask Read(int key, ImageShape shape)
    {
        var position = positions[key];
        var image = images.FileOf(position)!;
        var file = MaskPathOf(position);
        if (!File.Exists(file)) throw new BadImageException(key, file, $"no ground-truth mask for {images.RelativeNameOf(position)}");
        if (allowed.Restricted) file = allowed.Admit(file, "ground-truth mask");
        var (width, height) = MaskGeometry.SizeOf(image, key);
        return geometry.Place(Decode(file, key, width, height, allowed.Restricted), width, height, shape, key, file);
    }

    /// <summary>The mask's flags, after checking it is a PNG of the image's size that is binary and not empty.</summary>
    static bool[] Decode(string file, int key, int width, int height, bool judged)
    {
        using var bitmap = DecodeGrey(file, key, judged);
        if (bitmap.Width != width || bitmap.Height != height)
            throw new BadImageException(key, file, $"the mask is {bitmap.Width}×{bitmap.Height} pixels and its image {width}×{height}; a mask has its image's size");
        var pixels = bitmap.GetPixelSpan();
        var inside = new bool[width * height];
        byte? level = null;
        for (var p = 0; p < inside.Length; p++)
        {
            var value = pixels[p];
            if (value == 0) continue;
            if (level is { } seen && seen != value)
                throw new BadImageException(key, file, "the mask is not binary: it has more than one grey level besides black");
            level = value;
            inside[p] = true;
        }
        if (level is null) throw new BadImageException(key, file, "the mask is empty: no pixel is inside");
        return inside;
    }

    static SKBitmap DecodeGrey(string file, int key, bool judged)
    {
        byte[] bytes;
        try
        {
            var length = new FileInfo(file).Length;
            if (length > ImageDecoder.MaxFileBytes) throw new BadImageException(key, file, $"{length / 1048576.0:F0} MiB, above the limit for a mask file");
            bytes = judged ? RealPaths.ReadJudged(file) : File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException and not BadImageException or UnauthorizedAccessException)
        {
            throw new BadImageException(key, file, $"the mask cannot be read ({e.Message})");
        }
        using var stream = new MemoryStream(bytes, writable: false);
        using var codec = SKCodec.Create(stream) ?? throw new BadImageException(key, file, "the mask is not a decodable PNG");
        if (codec.EncodedFormat != SKEncodedImageFormat.Png) throw new BadImageException(key, file, $"the mask is {codec.EncodedFormat}, not PNG");
        if ((long)codec.Info.Width * codec.Info.Height > ImageDecoder.MaxPixels)
            throw new BadImageException(key, file, $"the mask is {codec.Info.Width} × {codec.Info.Height} pixels, above the limit of {ImageDecoder.MaxPixels:N0}");
        using var colour = new SKBitmap(new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var result = codec.GetPixels(colour.Info, colour.GetPixels());
        if (result != SKCodecResult.Success) throw new BadImageException(key, file, "the mask is truncated or corrupt");
        var grey = new SKBitmap(new SKImageInfo(colour.Width, colour.Height, SKColorType.Gray8, SKAlphaType.Opaque));
        var rgba = colour.GetPixelSpan();
        var values = grey.GetPixelSpan();
        var target = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(values), values.Length);
        for (var p = 0; p < target.Length; p++)
        {
            var (r, g, b) = (rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2]);
            if (r != g || g != b)
            {
                grey.Dispose();
                throw new BadImageException(key, file, $"the mask is not binary: pixel ({p % colour.Width}, {p / colour.Width}) is coloured, where a mask is black and one grey level");
            }
            target[p] = r;
        }
        return grey;
    }
}
