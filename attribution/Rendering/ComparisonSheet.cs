using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics.Localisation;
using SkiaSharp;

namespace Saliency.Attribution.Rendering;

/// <summary>
/// A grid of heatmaps for side-by-side comparison: one row per image, the image itself in the first
/// column, then one column per method or configuration, a header row of column titles, and caption
/// lines under every panel. All images share one shape; each map has its image's height and width. Where an image has a
/// ground-truth mask, every panel of its row carries the mask's outline (<see cref="MaskOutline"/>).
/// </summary>
public sealed record ComparisonSheet
{
    public const int Margin = 8;
    public const int HeaderHeight = 26;
    public const int CaptionLineHeight = 16;
    /// <summary>The sans-serif font of Debian's fonts-dejavu-core.</summary>
    public const string DefaultFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    public required ImageShape Shape { get; init; }
    /// <summary>One [0, 1] image per row, channel-first.</summary>
    public required IReadOnlyList<float[]> Images { get; init; }
    public required IReadOnlyList<string> ColumnTitles { get; init; }
    /// <summary>Maps[row][column], one per image and column.</summary>
    public required IReadOnlyList<IReadOnlyList<float[]>> Maps { get; init; }
    /// <summary>Captions[row][column] under the maps; a caption's lines are separated by '\n'.</summary>
    public IReadOnlyList<IReadOnlyList<string?>>? Captions { get; init; }
    /// <summary>Captions under the images of the first column, one per row.</summary>
    public IReadOnlyList<string?>? ImageCaptions { get; init; }
    /// <summary>Where each row's evidence lies, one per row, null for a row without; outlined over every panel of its row.</summary>
    public IReadOnlyList<GroundTruthMask?>? Masks { get; init; }
    public string ImageColumnTitle { get; init; } = "image";
    public HeatmapOptions Heatmap { get; init; } = new();
    /// <summary>Heat over the image when true, the heat layer alone on white when false.</summary>
    public bool BlendOverImage { get; init; } = true;
    /// <summary>Drawn with the default typeface when missing; text may then not show, but the sheet is still drawn.</summary>
    public string FontFile { get; init; } = DefaultFontFile;

    public int Rows => Images.Count;

    /// <summary>Caption lines under every row: the most that any panel has.</summary>
    public int CaptionLines => AllCaptions().Select(LineCount).DefaultIfEmpty(0).Max();

    public SKBitmap Render()
    {
        Validate();
        var renderer = new HeatmapRenderer(Heatmap);
        var scale = Heatmap.ScaleFor(Shape);
        var (panelWidth, panelHeight) = (Shape.Width * scale, Shape.Height * scale);
        var rowHeight = panelHeight + CaptionLines * CaptionLineHeight + Margin;

        using var loaded = File.Exists(FontFile) ? SKTypeface.FromFile(FontFile) : null;
        var typeface = loaded ?? SKTypeface.Default;
        using var titleFont = new SKFont(typeface, 13);
        using var captionFont = new SKFont(typeface, 12);
        var columnWidths = ColumnWidths(panelWidth, titleFont, captionFont);
        var outlines = Enumerable.Range(0, Rows).Select(row => Masks?[row] is { } mask ? MaskOutline.Of(mask, scale) : null).ToArray();
        var width = Margin + columnWidths.Sum(w => w + Margin);
        var height = HeaderHeight + Rows * rowHeight;

        var sheet = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(sheet);
        canvas.Clear(SKColors.White);
        using var text = new SKPaint { Color = new SKColor(40, 40, 40), IsAntialias = true };
        using var frame = new SKPaint { Color = new SKColor(210, 210, 210), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };

        var left = Margin;
        for (var column = 0; column < columnWidths.Length; column++)
        {
            var centre = left + columnWidths[column] / 2f;
            var panelLeft = left + (columnWidths[column] - panelWidth) / 2;
            canvas.DrawText(Title(column), centre, HeaderHeight - 8, SKTextAlign.Center, titleFont, text);
            for (var row = 0; row < Rows; row++)
            {
                var top = HeaderHeight + row * rowHeight;
                using (var panel = Panel(renderer, row, column))
                {
                    outlines[row]?.DrawOn(panel);
                    canvas.DrawBitmap(panel, panelLeft, top);
                }
                // Just outside the panel, so that a pale map still stands apart from the page.
                canvas.DrawRect(panelLeft - 0.5f, top - 0.5f, panelWidth + 1, panelHeight + 1, frame);
                var lines = Lines(Caption(row, column));
                for (var line = 0; line < lines.Length; line++)
                    canvas.DrawText(lines[line], centre, top + panelHeight + (line + 1) * CaptionLineHeight - 3, SKTextAlign.Center, captionFont, text);
            }
            left += columnWidths[column] + Margin;
        }
        return sheet;
    }

    public void SavePng(string path)
    {
        using var sheet = Render();
        HeatmapRenderer.SavePng(sheet, path);
    }

    SKBitmap Panel(HeatmapRenderer renderer, int row, int column)
    {
        if (column == 0) return renderer.RenderImage(Images[row], Shape);
        var map = Maps[row][column - 1];
        return BlendOverImage
            ? renderer.RenderBlended(Images[row], Shape, map)
            : renderer.RenderMap(map, HeatmapRenderer.MapShapeOver(Shape, map.Length));
    }

    string Title(int column) => column == 0 ? ImageColumnTitle : ColumnTitles[column - 1];

    string? Caption(int row, int column) => column == 0 ? ImageCaptions?[row] : Captions?[row][column - 1];

    /// <summary>A column is as wide as its panels, or wider where its title or a caption line needs it.</summary>
    int[] ColumnWidths(int panelWidth, SKFont titleFont, SKFont captionFont) =>
        Enumerable.Range(0, ColumnTitles.Count + 1).Select(column =>
        {
            var widest = Enumerable.Range(0, Rows).SelectMany(row => Lines(Caption(row, column))).Select(line => captionFont.MeasureText(line))
                .Append(titleFont.MeasureText(Title(column)))
                .Max();
            return Math.Max(panelWidth, (int)Math.Ceiling(widest) + 4);
        }).ToArray();

    IEnumerable<string?> AllCaptions() =>
        (Captions ?? Array.Empty<IReadOnlyList<string?>>()).SelectMany(row => row).Concat(ImageCaptions ?? Array.Empty<string?>());

    static string[] Lines(string? caption) => string.IsNullOrEmpty(caption) ? Array.Empty<string>() : caption.Split('\n');

    static int LineCount(string? caption) => Lines(caption).Length;

    void Validate()
    {
        if (Rows == 0) throw new ArgumentException("a comparison sheet needs at least one image");
        for (var row = 0; row < Rows; row++)
            if (Images[row].Length != Shape.Size)
                throw new ArgumentException($"image {row} has {Images[row].Length} values, not shaped {Shape}");
        if (Maps.Count != Rows)
            throw new ArgumentException($"{Maps.Count} rows of maps for {Rows} images");
        for (var row = 0; row < Rows; row++)
            if (Maps[row].Count != ColumnTitles.Count)
                throw new ArgumentException($"row {row} has {Maps[row].Count} maps for {ColumnTitles.Count} column titles");
        if (Captions is not null && (Captions.Count != Rows || Captions.Any(row => row.Count != ColumnTitles.Count)))
            throw new ArgumentException($"captions must be {Rows} rows of {ColumnTitles.Count}, one per map");
        if (ImageCaptions is not null && ImageCaptions.Count != Rows)
            throw new ArgumentException($"{ImageCaptions.Count} image captions for {Rows} images");
        if (Masks is not null && Masks.Count != Rows)
            throw new ArgumentException($"{Masks.Count} ground-truth masks for {Rows} images");
        if (Masks?.Select((mask, row) => (Mask: mask, Row: row)).FirstOrDefault(m => m.Mask is not null && (m.Mask.Height, m.Mask.Width) != (Shape.Height, Shape.Width))
            is { Mask: { } misfit } wrong)
            throw new ArgumentException($"the ground-truth mask of row {wrong.Row} is {misfit.Height}×{misfit.Width}, not {Shape.Height}×{Shape.Width} as the images are");
    }
}
