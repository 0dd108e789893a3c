using System.Globalization;

namespace Saliency.Attribution.Data;

/// <summary>
/// A folder of photographs, listed without decoding anything. Its order is documented and stable: class
/// sub-folders by name, then file names, both in ordinal order, as torchvision's <c>ImageFolder</c> labels them.
/// Labels come from the class sub-folders, or from a CSV of <c>file,label</c> rows for a flat folder such as
/// ImageNet's validation set (a label is a class index, or a class name numbered in ordinal order). A flat folder
/// without a CSV has no labels (-1), which only <c>target: label</c> minds.
/// </summary>
public static class ImageFolder
{
    public static IReadOnlyList<string> Extensions { get; } = [".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"];

    public const int NoLabel = -1;

    /// <param name="allowed">Where the folder, its labels and each of its images must really lie; each file is kept by the
    /// real path judged, which is what is opened later. Anywhere when null.</param>
    public static ImageCatalog Open(string root, ImageShape shape, ImagePreprocess? preprocess = null, string? labelsCsv = null, AllowedRoots? allowed = null)
    {
        allowed ??= AllowedRoots.Anywhere;
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"image folder not found: {root}");
        var given = root;
        root = allowed.Admit(root, "data folder");
        if (labelsCsv is not null) labelsCsv = allowed.Admit(labelsCsv, "labels file");
        if (shape.Channels is not (1 or 3))
            throw new ArgumentException($"image folder {root}: models with {shape.Channels} channels are not supported (1 or 3)");

        var classes = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        var files = Images(root).Select(file => (File: file, Label: NoLabel)).ToList();
        var classNames = Array.Empty<string>();
        if (files.Count == 0 || labelsCsv is null && classes.Length > 0)
        {
            files = classes.SelectMany((name, label) => Images(Path.Combine(root, name)).Select(file => (file, label))).ToList();
            classNames = classes;
        }
        if (files.Count == 0)
            throw new InvalidDataException($"image folder {root}: no image files ({string.Join(", ", Extensions)}) in it or in its class sub-folders");
        if (labelsCsv is not null)
        {
            var (labels, names) = LabelsFrom(labelsCsv);
            files = files.Select(f => (f.File, Label: LabelOf(labels, root, f.File, labelsCsv))).ToList();
            classNames = names;
        }
        // A class folder or an image inside may be a link: each image is judged where it leads, and kept by that path.
        var admitted = allowed.Restricted ? files.Select(f => allowed.Admit(f.File, "image")).ToArray() : files.Select(f => f.File).ToArray();
        var relativeNames = files.Select(f => Path.GetRelativePath(root, f.File).Replace('\\', '/')).ToArray();
        var store = new FolderStore(admitted, relativeNames, preprocess ?? ImagePreprocess.Default, allowed.Restricted);
        return new ImageCatalog($"folder:{given}", shape, store, Enumerable.Range(0, files.Count).ToArray(), files.Select(f => f.Label).ToArray(), classNames);
    }

    static IEnumerable<string> Images(string folder) => Directory.EnumerateFiles(folder)
        .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
        .Order(StringComparer.Ordinal);

    static int LabelOf(IReadOnlyDictionary<string, int> labels, string root, string file, string csv) =>
        labels.TryGetValue(Path.GetRelativePath(root, file).Replace('\\', '/'), out var label) || labels.TryGetValue(Path.GetFileName(file), out label)
            ? label
            : throw new InvalidDataException($"{csv}: no label for {file}");

    /// <summary>Rows <c>file,label</c>, with an optional header row whose first field is <c>file</c>.</summary>
    static (IReadOnlyDictionary<string, int> Labels, string[] ClassNames) LabelsFrom(string csv)
    {
        if (!File.Exists(csv)) throw new FileNotFoundException($"labels file not found: {csv}", csv);
        var rows = new List<(string File, string Label, int Line)>();
        var number = 0;
        foreach (var line in File.ReadLines(csv))
        {
            number++;
            if (line.Trim().Length == 0) continue;
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (rows.Count == 0 && number == 1 && fields[0].Equals("file", StringComparison.OrdinalIgnoreCase)) continue;
            if (fields.Length != 2 || fields[0].Length == 0 || fields[1].Length == 0)
                throw new InvalidDataException($"{csv}:{number}: expected two fields, 'file,label', found {fields.Length}{(fields.Length == 2 ? " with one empty" : "")}");
            rows.Add((fields[0], fields[1], number));
        }
        var numeric = rows.All(r => int.TryParse(r.Label, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        var names = numeric ? [] : rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var label = numeric ? int.Parse(row.Label, CultureInfo.InvariantCulture) : Array.BinarySearch(names, row.Label, StringComparer.Ordinal);
            if (!labels.TryAdd(row.File, label))
                throw new InvalidDataException($"{csv}:{row.Line}: this image is labelled twice, first at line {rows.First(r => r.File == row.File).Line}");
        }
        return (labels, names);
    }

    sealed class FolderStore(string[] files, string[] names, ImagePreprocess preprocess, bool judged) : IFileImageStore
    {
        public string Describe(int key) => files[key];

        public string FileOf(int key) => files[key];

        public string RelativeNameOf(int key) => names[key];

        public void Read(int key, ImageShape shape, Span<float> destination) =>
            ImageDecoder.Decode(files[key], key, shape, preprocess, destination, judged);
    }
}
