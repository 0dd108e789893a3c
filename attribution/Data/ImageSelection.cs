namespace Saliency.Attribution.Data;

/// <summary>
/// Parses and loads an image selection: <c>fashion-mnist:SPLIT[:RANGES]</c> (RANGES like <c>0-15,100</c>,
/// inclusive) or <c>folder:PATH</c>.
/// </summary>
public sealed record ImageSelection(string Kind, string Location, IReadOnlyList<(int First, int Last)> Ranges)
{
    public static ImageSelection Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new FormatException("image selection is empty: expected fashion-mnist:SPLIT[:RANGES] or folder:PATH");
        var parts = text.Split(':', 3);
        switch (parts[0])
        {
            case "fashion-mnist" when parts.Length >= 2 && parts[1] is "train" or "test":
                return new ImageSelection("fashion-mnist", parts[1], parts.Length == 3 ? ParseRanges(text, parts[2]) : Array.Empty<(int, int)>());
            case "fashion-mnist":
                throw new FormatException($"image selection '{text}': expected fashion-mnist:train or fashion-mnist:test, optionally followed by :RANGES");
            case "folder" when parts.Length >= 2 && text.Length > "folder:".Length:
                return new ImageSelection("folder", text["folder:".Length..], Array.Empty<(int, int)>());
            default:
                throw new FormatException($"image selection '{text}': unknown source '{parts[0]}' (expected fashion-mnist:SPLIT[:RANGES] or folder:PATH)");
        }
    }

    /// <summary>Loads the selected images; <paramref name="shape"/> sizes folder images (ignored for Fashion-MNIST).</summary>
    public ImageSet Load(ImageShape? shape = null)
    {
        var all = Kind == "folder"
            ? ImageFolder.Load(Location, shape ?? new ImageShape(3, 224, 224))
            : FashionMnist.Load(Location);
        if (Ranges.Count == 0) return all;
        var positions = new List<int>();
        foreach (var (first, last) in Ranges)
        {
            if (last >= all.Count)
                throw new ArgumentOutOfRangeException(nameof(Ranges), $"image range {first}-{last} is outside {all.Source}, which has images 0-{all.Count - 1}");
            for (var i = first; i <= last; i++) positions.Add(i);
        }
        return all.Select(positions);
    }

    static IReadOnlyList<(int, int)> ParseRanges(string text, string ranges)
    {
        var result = new List<(int, int)>();
        foreach (var range in ranges.Split(',', StringSplitOptions.TrimEntries))
        {
            var bounds = range.Split('-');
            if (bounds.Length is < 1 or > 2 || !bounds.All(b => int.TryParse(b, out var v) && v >= 0))
                throw new FormatException($"image selection '{text}': range '{range}' is not FIRST-LAST or INDEX with non-negative integers");
            int first = int.Parse(bounds[0]), last = int.Parse(bounds[^1]);
            if (last < first)
                throw new FormatException($"image selection '{text}': range '{range}' ends before it starts");
            result.Add((first, last));
        }
        return result;
    }
}
