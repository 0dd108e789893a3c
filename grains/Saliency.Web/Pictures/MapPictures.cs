using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics.Localisation;
using Saliency.Attribution.Rendering;
using Saliency.Attribution.Results;
using Saliency.Web.Runs;
using SkiaSharp;

namespace Saliency.Web.Pictures;

/// <summary>
/// The pictures the pages show, as PNG bytes: an image (with its ground-truth mask outlined, where the sweep has masks)
/// and each trial's saved map over it, drawn by the heatmap renderer the result files use. A map is drawn on its own
/// colour scale, or on one shared by every trial's map of that image: then the maps are laid side by side as one map and
/// normalised once, so equal colours mean equal attribution. Pictures are kept in a <see cref="PictureCache"/>, so a page
/// polling or reopened costs no rendering; a map is final once saved, so a picture never goes stale.
/// </summary>
public sealed class MapPictures(PictureCache cache)
{
    static readonly SKColor Outline = new(255, 200, 0);
    readonly HeatmapRenderer renderer = new();

    /// <summary>The image at <paramref name="index"/> of the sweep's selection.</summary>
    public byte[] Image(LiveRunDirectory run, int index) => cache.GetOrAdd((run.SweepId, "image", index, -1), () =>
    {
        var (pixels, shape, mask) = Read(run, index);
        using var bitmap = renderer.RenderImage(pixels, shape);
        if (mask is not null) DrawOutline(bitmap, mask, renderer.Options.ScaleFor(shape));
        return Png(bitmap);
    });

    /// <summary>Trial <paramref name="trial"/>'s map of the image at <paramref name="index"/> over the image; null while it has none.</summary>
    public byte[]? Map(LiveRunDirectory run, int trial, int index)
    {
        var key = run.Images.Keys[index];
        if (!File.Exists(MapStore.PathOf(run.Directory, trial, key))) return null;
        return cache.GetOrAdd((run.SweepId, "map", index, trial), () =>
        {
            var map = MapStore.Read(run.Directory, trial, key)!;
            var (pixels, shape, _) = Read(run, index);
            using var bitmap = renderer.RenderBlended(pixels, shape, map.Map);
            return Png(bitmap);
        });
    }

    /// <summary>
    /// Trial <paramref name="trial"/>'s map on the colour scale shared by the maps of <paramref name="trials"/> saved so far;
    /// drawn again when another trial's map of the image lands, since that can move the scale.
    /// </summary>
    public byte[]? SharedScaleMap(LiveRunDirectory run, int trial, int index, IEnumerable<int> trials)
    {
        var key = run.Images.Keys[index];
        var saved = trials.Where(t => File.Exists(MapStore.PathOf(run.Directory, t, key))).Order().ToList();
        var column = saved.IndexOf(trial);
        if (column < 0) return null;
        // The scale depends on which maps are in it: their count names the cache entry.
        return cache.GetOrAdd((run.SweepId, $"shared-{saved.Count}", index, trial), () =>
        {
            var (pixels, shape, _) = Read(run, index);
            var plane = shape.Height * shape.Width;
            var wide = new ImageShape(shape.Channels, shape.Height, shape.Width * saved.Count);
            var widePixels = new float[wide.Size];
            var wideMap = new float[plane * saved.Count];
            for (var i = 0; i < saved.Count; i++)
            {
                var map = MapStore.Read(run.Directory, saved[i], key)!.Map;
                var channels = HeatmapRenderer.MapShapeOver(shape, map.Length).Channels;
                for (var y = 0; y < shape.Height; y++)
                    for (var x = 0; x < shape.Width; x++)
                    {
                        var at = y * wide.Width + i * shape.Width + x;
                        for (var c = 0; c < channels; c++) wideMap[at] += map[c * plane + y * shape.Width + x];
                        for (var c = 0; c < shape.Channels; c++) widePixels[c * wide.Height * wide.Width + at] = pixels[c * plane + y * shape.Width + x];
                    }
            }
            var scale = renderer.Options.ScaleFor(shape);
            using var sheet = new HeatmapRenderer(renderer.Options with { Scale = scale }).RenderBlended(widePixels, wide, wideMap);
            using var tile = new SKBitmap(shape.Width * scale, shape.Height * scale, SKColorType.Rgba8888, SKAlphaType.Opaque);
            sheet.ExtractSubset(tile, SKRectI.Create(column * shape.Width * scale, 0, shape.Width * scale, shape.Height * scale));
            return Png(tile);
        });
    }

    static (float[] Pixels, ImageShape Shape, GroundTruthMask? Mask) Read(LiveRunDirectory run, int index)
    {
        var read = run.Images.Read(index, 1, BadImagePolicy.Fail).Images;
        return (read.Pixels, read.Shape, read.Masks?[0]);
    }

    static void DrawOutline(SKBitmap bitmap, GroundTruthMask mask, int scale)
    {
        if (mask.Height * scale != bitmap.Height || mask.Width * scale != bitmap.Width) return;
        for (var y = 0; y < mask.Height; y++)
            for (var x = 0; x < mask.Width; x++)
            {
                if (!mask[y, x]) continue;
                var edge = y == 0 || x == 0 || y == mask.Height - 1 || x == mask.Width - 1
                    || !mask[y - 1, x] || !mask[y + 1, x] || !mask[y, x - 1] || !mask[y, x + 1];
                if (!edge) continue;
                for (var dy = 0; dy < scale; dy++)
                    for (var dx = 0; dx < scale; dx++)
                        bitmap.SetPixel(x * scale + dx, y * scale + dy, Outline);
            }
    }

    static byte[] Png(SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100) ?? throw new InvalidOperationException("a picture could not be encoded as PNG");
        return data.ToArray();
    }
}
