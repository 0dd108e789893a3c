namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// The photographs the photos-planted benchmark crops: the JPEGs of <c>photos-planted-photographs/</c> in the models'
/// folder (448 × 448 each, their terms in its LICENCES.md), in ordinal order of their names, decoded once to RGB in [0, 1].
/// </summary>
public sealed class SourcePhotographs
{
    /// <summary>Every source photograph is this many pixels on each side.</summary>
    public const int PhotoSide = 448;

    public const string FolderName = "photos-planted-photographs";

    static readonly Lazy<SourcePhotographs> Shipped = new(() => Load(Path.Combine(Models.ModelLoader.ModelsFolder, FolderName)));

    readonly float[][] pixels;

    SourcePhotographs(string[] names, float[][] pixels) => (Names, this.pixels) = (names, pixels);

    /// <summary>The photographs that ship with the program, decoded on first use.</summary>
    public static SourcePhotographs Default => Shipped.Value;

    /// <summary>The file names, in the order crops name photographs by.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => pixels.Length;

    public int Side { get; } = PhotoSide;

    /// <summary>Photograph <paramref name="index"/>, [3, 448, 448] in [0, 1].</summary>
    public float[] this[int index] => pixels[index];

    /// <exception cref="FileNotFoundException">The folder holds no photographs.</exception>
    /// <exception cref="BadImageException">A photograph cannot be decoded.</exception>
    public static SourcePhotographs Load(string folder)
    {
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).ToArray() : [];
        if (files.Length == 0)
            throw new FileNotFoundException($"the photographs of {PlantedPhotographs.Name} are not in {folder} (they ship in models/{FolderName}/)", folder);
        var shape = new ImageShape(3, PhotoSide, PhotoSide);
        var preprocess = new ImagePreprocess(Resize: PhotoSide, Crop: PhotoSide);
        var pixels = files.Select((file, key) =>
        {
            var photo = new float[shape.Size];
            ImageDecoder.Decode(file, key, shape, preprocess, photo);
            return photo;
        }).ToArray();
        return new SourcePhotographs(files.Select(Path.GetFileName).ToArray()!, pixels);
    }
}
