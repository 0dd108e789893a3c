using System.Globalization;
using System.Text.RegularExpressions;
using Saliency.Attribution.Data.Planted;

namespace Saliency.Attribution.Data;

/// <summary>
/// Parses and opens an image selection: <c>fashion-mnist:SPLIT[:RANGES]</c>, <c>fashion-planted:test[:RANGES]</c>,
/// <c>photos-planted:test[:RANGES]</c> or <c>folder:PATH[:RANGES]</c>, where RANGES like <c>0-15,100</c> are inclusive
/// positions in the split, in a planted benchmark's ground-truth list (<see cref="PlantedFashion"/>,
/// <see cref="PlantedPhotographs"/>, whose images bring their masks) or in the folder's order (<see cref="ImageFolder"/>).
/// </summary>
public sealed partial record ImageSelection(string Kind, string Location, IReadOnlyList<(int First, int Last)> Ranges)
{
    public const string Folder = "folder", Fashion = "fashion-mnist", Planted = PlantedFashion.Name, PlantedPhotos = PlantedPhotographs.Name;
    const string Expected = "fashion-mnist:SPLIT[:RANGES], fashion-planted:test[:RANGES], photos-planted:test[:RANGES] or folder:PATH[:RANGES]";

    /// <summary>The shape folder images are decoded to when the model declares none.</summary>
    public static ImageShape DefaultFolderShape { get; } = new(3, 224, 224);

    public static ImageSelection Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new FormatException($"image selection is empty: expected {Expected}");
        var parts = text.Split(':', 3);
        switch (parts[0])
        {
            case Fashion when parts.Length >= 2 && parts[1] is "train" or "test":
                return new ImageSelection(Fashion, parts[1], parts.Length == 3 ? ParseRanges(text, parts[2]) : []);
            case Fashion:
                throw new FormatException($"image selection '{text}': expected fashion-mnist:train or fashion-mnist:test, optionally followed by :RANGES");
            case Planted when parts.Length >= 2 && parts[1] == PlantedFashion.GroundTruthSplit:
                return new ImageSelection(Planted, parts[1], parts.Length == 3 ? ParseRanges(text, parts[2]) : []);
            case Planted:
                throw new FormatException($"image selection '{text}': expected {Planted}:{PlantedFashion.GroundTruthSplit}, " +
                    $"optionally followed by :RANGES (only the test split has a ground-truth list)");
            case PlantedPhotos when parts.Length >= 2 && parts[1] == PlantedPhotographs.GroundTruthSplit:
                return new ImageSelection(PlantedPhotos, parts[1], parts.Length == 3 ? ParseRanges(text, parts[2]) : []);
            case PlantedPhotos:
                throw new FormatException($"image selection '{text}': expected {PlantedPhotos}:{PlantedPhotographs.GroundTruthSplit}, " +
                    $"optionally followed by :RANGES (only the test split has a ground-truth list)");
            case Folder when text.Length > "folder:".Length:
                var location = text["folder:".Length..];
                // A last ':' segment of digits, commas and dashes is a range; anything else belongs to the path.
                var colon = location.LastIndexOf(':');
                return colon > 0 && RangesPattern().IsMatch(location[(colon + 1)..])
                    ? new ImageSelection(Folder, location[..colon], ParseRanges(text, location[(colon + 1)..]))
                    : new ImageSelection(Folder, location, []);
            default:
                throw new FormatException($"image selection '{text}': unknown source '{parts[0]}' (expected {Expected})");
        }
    }

    /// <summary>Whether the images come with ground-truth masks of their own: a planted-evidence benchmark's.</summary>
    public bool BringsGroundTruth => Kind is Planted or PlantedPhotos;

    /// <summary>Whether the images are Fashion-MNIST's, plain or planted, whose shape is known before any is read.</summary>
    public bool IsFashionMnist => Kind is Fashion or Planted;

    /// <summary>Lists the selected images without decoding them.</summary>
    /// <param name="shape">What folder images are decoded to (the model's input); Fashion-MNIST has its own.</param>
    /// <param name="labels">A <c>file,label</c> CSV for a folder's labels.</param>
    /// <param name="allowed">Where a folder's files must really lie (<see cref="ImageFolder.Open"/>); anywhere when null.</param>
    public ImageCatalog Open(ImageShape? shape = null, ImagePreprocess? preprocess = null, string? labels = null, AllowedRoots? allowed = null)
    {
        var all = Whole(shape, preprocess, labels, allowed);
        return Ranges.Count == 0 ? all : all.Select(Ranges);
    }

    /// <summary>What <c>expected:k</c> baselines draw references from: the training split (planted, for the planted benchmark), or the whole folder.</summary>
    public ImageCatalog References(ImageShape? shape = null, ImagePreprocess? preprocess = null, string? labels = null, AllowedRoots? allowed = null) => Kind switch
    {
        Fashion => ImageCatalog.Of(FashionMnist.Load("train")),
        Planted => ImageCatalog.Of(PlantedFashion.Load("train").Images),
        PlantedPhotos => PlantedPhotographs.Load("train").Planted(),
        _ => Whole(shape, preprocess, labels, allowed),
    };

    /// <summary>Opens and decodes every selected image: for the few images a command line names.</summary>
    public ImageSet Load(ImageShape? shape = null, ImagePreprocess? preprocess = null, string? labels = null) =>
        Open(shape, preprocess, labels).ReadAll();

    ImageCatalog Whole(ImageShape? shape, ImagePreprocess? preprocess, string? labels, AllowedRoots? allowed) => Kind switch
    {
        Folder => ImageFolder.Open(Location, shape ?? DefaultFolderShape, preprocess, labels, allowed),
        Planted => PlantedFashion.OpenGroundTruth(),
        PlantedPhotos => PlantedPhotographs.OpenGroundTruth(),
        _ => ImageCatalog.Of(FashionMnist.Load(Location)),
    };

    [GeneratedRegex(@"^[0-9][0-9,\- ]*$")]
    private static partial Regex RangesPattern();

    static IReadOnlyList<(int, int)> ParseRanges(string text, string ranges)
    {
        var result = new List<(int, int)>();
        foreach (var range in ranges.Split(',', StringSplitOptions.TrimEntries))
        {
            var bounds = range.Split('-');
            if (bounds.Length is < 1 or > 2 || !bounds.All(b => int.TryParse(b, out var v) && v >= 0))
                throw new FormatException($"image selection '{text}': range '{range}' is not FIRST-LAST or INDEX with non-negative integers");
            int first = int.Parse(bounds[0], CultureInfo.InvariantCulture), last = int.Parse(bounds[^1], CultureInfo.InvariantCulture);
            if (last < first)
                throw new FormatException($"image selection '{text}': range '{range}' ends before it starts");
            result.Add((first, last));
        }
        return result;
    }
}
