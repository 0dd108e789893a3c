using System.Globalization;
using Saliency.Attribution.Metrics.Localisation;

namespace Saliency.Attribution.Data.GroundTruth;

/// <summary>
/// Masks as boxes in a CSV file: rows of <c>file,x0,y0,x1,y1</c>, the file named as the folder lists it (relative path,
/// or its name alone), the box covering pixels x0 ≤ x &lt; x1 and y0 ≤ y &lt; y1 of the upright image file. An image's
/// mask is the union of its rows. The file is read whole when opened, and a malformed row fails it there, naming its
/// line; an image with no row, or a box outside its image, is a bad image, so <c>on_bad_image</c> decides.
/// </summary>
public sealed class MaskBoxes : IMaskStore
{
    /// <summary>The most rows a box file may hold; far above any real set of images, to bound memory on a hostile file.</summary>
    public const int MaxRows = 1_000_000;

    readonly string csv;
    readonly ImageCatalog images;
    readonly Dictionary<int, int> positions;
    readonly MaskGeometry geometry;
    readonly Dictionary<string, List<(int X0, int Y0, int X1, int Y1, int Line)>> boxes;

    MaskBoxes(string csv, ImageCatalog images, MaskGeometry geometry, Dictionary<string, List<(int, int, int, int, int)>> boxes)
    {
        (this.csv, this.images, this.geometry, this.boxes) = (csv, images, geometry, boxes);
        positions = images.Keys.Select((key, position) => (key, position)).ToDictionary(p => p.key, p => p.position);
    }

    /// <param name="csv">The box file, already judged against the allowed roots.</param>
    /// <exception cref="InvalidDataException">A row is not five fields with four integers, naming the line.</exception>
    public static MaskBoxes Open(string csv, ImageCatalog images, MaskGeometry geometry)
    {
        if (!File.Exists(csv)) throw new FileNotFoundException($"ground-truth boxes file not found: {csv}", csv);
        var boxes = new Dictionary<string, List<(int, int, int, int, int)>>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in File.ReadLines(csv))
        {
            number++;
            if (number > MaxRows) throw new InvalidDataException($"{csv}: more than {MaxRows:N0} lines");
            if (line.Trim().Length == 0) continue;
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (number == 1 && fields[0].Equals("file", StringComparison.OrdinalIgnoreCase)) continue;
            if (fields.Length != 5 || fields[0].Length == 0)
                throw new InvalidDataException($"{csv}:{number}: expected five fields, 'file,x0,y0,x1,y1', found {fields.Length}");
            var corners = new int[4];
            for (var i = 0; i < 4; i++)
                if (!int.TryParse(fields[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out corners[i]))
                    throw new InvalidDataException($"{csv}:{number}: field {i + 2} ({(i % 2 == 0 ? "x" : "y")}{i / 2}) is not an integer");
            if (!boxes.TryGetValue(fields[0], out var rows)) boxes[fields[0]] = rows = [];
            rows.Add((corners[0], corners[1], corners[2], corners[3], number));
        }
        return new MaskBoxes(csv, images, geometry, boxes);
    }

    public GroundTruthMask Read(int key, ImageShape shape)
    {
        var position = positions[key];
        var name = images.RelativeNameOf(position)!;
        if (!boxes.TryGetValue(name, out var rows) && !boxes.TryGetValue(Path.GetFileName(name), out rows))
            throw new BadImageException(key, images.FileOf(position)!, $"no ground-truth box for it in {csv}");
        var (width, height) = MaskGeometry.SizeOf(images.FileOf(position)!, key);
        var inside = new bool[width * height];
        foreach (var (x0, y0, x1, y1, line) in rows)
        {
            if (x0 < 0 || y0 < 0 || x1 > width || y1 > height || x1 <= x0 || y1 <= y0)
                throw new BadImageException(key, $"{csv}:{line}",
                    $"the box ({x0}, {y0})–({x1}, {y1}) is not inside {name}, which is {width}×{height} pixels (0 ≤ x0 < x1 ≤ width, 0 ≤ y0 < y1 ≤ height)");
            for (var y = y0; y < y1; y++) Array.Fill(inside, true, y * width + x0, x1 - x0);
        }
        return geometry.Place(inside, width, height, shape, key, $"{csv} ({name})");
    }
}
