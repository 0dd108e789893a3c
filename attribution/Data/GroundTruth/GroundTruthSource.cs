namespace Saliency.Attribution.Data.GroundTruth;

/// <summary>
/// Where a folder's ground-truth masks come from, as a spec's <c>ground_truth:</c> or <c>attribute --ground-truth</c>
/// names it: <c>folder:PATH</c>, one binary PNG per image under the image's relative name, or <c>boxes:FILE.csv</c>,
/// rows of <c>file,x0,y0,x1,y1</c> in the image's pixels, several rows to an image allowed.
/// </summary>
public sealed record GroundTruthSource(string Kind, string Location)
{
    public const string Folder = "folder", Boxes = "boxes";
    const string Expected = "folder:PATH or boxes:FILE.csv";

    /// <exception cref="FormatException">The text is neither form.</exception>
    public static GroundTruthSource Parse(string text)
    {
        var colon = text.IndexOf(':');
        var (kind, location) = colon > 0 ? (text[..colon], text[(colon + 1)..]) : (text, "");
        if (kind is not (Folder or Boxes)) throw new FormatException($"ground truth '{text}': unknown source '{kind}' (expected {Expected})");
        if (location.Length == 0) throw new FormatException($"ground truth '{text}': no path after '{kind}:' (expected {Expected})");
        return new GroundTruthSource(kind, location);
    }

    /// <summary>The path it reads, to be judged against a silo's allowed roots before anything is read.</summary>
    public string Path => Location;

    /// <summary>What <see cref="Path"/> is, as errors about it say.</summary>
    public string PathRole => Kind == Folder ? "ground-truth folder" : "ground-truth boxes file";

    /// <summary>
    /// The catalogue's images with these masks, each read with its image at the model's input size through the same
    /// resize and crop, by nearest neighbour so that it stays binary.
    /// </summary>
    /// <exception cref="InvalidDataException">The catalogue's images are no files, or a box file is malformed.</exception>
    public ImageCatalog Attach(ImageCatalog images, ImagePreprocess? preprocess, AllowedRoots? allowed = null)
    {
        allowed ??= AllowedRoots.Anywhere;
        if (images.RelativeNameOf(0) is null && images.Count > 0)
            throw new InvalidDataException($"ground truth {Kind}:{Location} needs images from a folder, and {images.Source} is not one");
        var geometry = new MaskGeometry(preprocess ?? ImagePreprocess.Default);
        IMaskStore store = Kind == Folder
            ? MaskFolder.Open(allowed.Admit(Location, PathRole), images, geometry, allowed)
            : MaskBoxes.Open(allowed.Admit(Location, PathRole), images, geometry);
        return images.WithGroundTruth(store);
    }

    public override string ToString() => $"{Kind}:{Location}";
}
