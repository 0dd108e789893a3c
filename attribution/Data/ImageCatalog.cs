using Saliency.Attribution.Metrics.Localisation;

namespace Saliency.Attribution.Data;

/// <summary>Where a catalogue's pixels come from, one image at a time by key.</summary>
public interface IImageStore
{
    /// <summary>The image as a person finds it: its file, or its index in a data set.</summary>
    string Describe(int key);

    /// <summary>Writes image <paramref name="key"/> as [C, H, W] floats in [0, 1].</summary>
    /// <exception cref="BadImageException">The image cannot be read.</exception>
    void Read(int key, ImageShape shape, Span<float> destination);
}

/// <summary>A store whose images are files, so that what goes with each (a mask, a label) can be found by its name.</summary>
public interface IFileImageStore : IImageStore
{
    /// <summary>The path the image is read from.</summary>
    string FileOf(int key);

    /// <summary>The image's path relative to the folder it was listed from, with '/' between names.</summary>
    string RelativeNameOf(int key);
}

/// <summary>Where each image's ground-truth mask comes from, read as the image is.</summary>
public interface IMaskStore
{
    /// <summary>The mask of image <paramref name="key"/>, at <paramref name="shape"/>'s height and width.</summary>
    /// <exception cref="BadImageException">The mask is missing, of the wrong size, not binary or empty.</exception>
    GroundTruthMask Read(int key, ImageShape shape);
}

/// <summary>Images read back from a catalogue, and those left out because they could not be read.</summary>
public sealed record ImageRead(ImageSet Images, IReadOnlyList<SkippedImage> Skipped);

/// <summary>
/// An ordered, labelled list of images whose pixels are read only when asked for: listing a folder of
/// fifty thousand photographs costs its file names, and a worker decodes just the shards it computes.
/// Each image keeps the key that names it in its source (its position in the whole folder or data set),
/// so a range of a folder has the same keys as the same images of the whole folder. A ground-truth source gives each
/// image its mask, which travels with it through <see cref="Select"/> and into the images read.
/// </summary>
public sealed class ImageCatalog
{
    readonly IImageStore store;
    readonly int[] keys;
    readonly int[] labels;
    readonly IMaskStore? masks;

    public ImageCatalog(string source, ImageShape shape, IImageStore store, int[] keys, int[] labels, IReadOnlyList<string>? classNames = null,
        IReadOnlyList<GroundTruthMask>? masks = null)
        : this(source, shape, store, keys, labels, classNames, masks is null ? null : new MasksInMemory(source, keys, masks))
    {
    }

    ImageCatalog(string source, ImageShape shape, IImageStore store, int[] keys, int[] labels, IReadOnlyList<string>? classNames, IMaskStore? masks)
    {
        if (labels.Length != keys.Length)
            throw new ArgumentException($"{source}: {labels.Length} labels for {keys.Length} images");
        Source = source;
        Shape = shape;
        this.store = store;
        this.keys = keys;
        this.labels = labels;
        this.masks = masks;
        ClassNames = classNames ?? [];
    }

    /// <summary>A catalogue of images already in memory; their keys are theirs.</summary>
    public static ImageCatalog Of(ImageSet images) =>
        new(images.Source, images.Shape, new InMemoryStore(images), images.Keys, images.Labels, images.ClassNames, images.Masks);

    public string Source { get; }
    public ImageShape Shape { get; }
    public int Count => keys.Length;
    public IReadOnlyList<int> Keys => keys;
    public IReadOnlyList<int> Labels => labels;
    public IReadOnlyList<string> ClassNames { get; }
    /// <summary>Where each image's evidence lies, by position; null for a source without ground truth.</summary>
    /// <summary>Whether the images bring ground-truth masks, read with them (<see cref="Read(int, int, BadImagePolicy, float[])"/>).</summary>
    public bool HasGroundTruth => masks is not null;

    /// <summary>The same images with the ground-truth masks <paramref name="store"/> reads, by key, in place of any they had.</summary>
    public ImageCatalog WithGroundTruth(IMaskStore store) => new(Source, Shape, this.store, keys, labels, ClassNames, store);

    /// <summary>The file an image is read from, for stores that read files (a folder's); null for others.</summary>
    public string? FileOf(int position) => store is IFileImageStore files ? files.FileOf(keys[position]) : null;

    /// <summary>An image's path relative to its folder, as masks and label files name it; null where images are no files.</summary>
    public string? RelativeNameOf(int position) => store is IFileImageStore files ? files.RelativeNameOf(keys[position]) : null;

    public string Describe(int position) => store.Describe(keys[position]);

    /// <summary>The images at inclusive ranges of positions, in the order given.</summary>
    public ImageCatalog Select(IReadOnlyList<(int First, int Last)> ranges)
    {
        var positions = new List<int>();
        foreach (var (first, last) in ranges)
        {
            if (last >= Count)
                throw new ArgumentOutOfRangeException(paramName: null, $"image range {first}-{last} is outside {Source}, which has images 0-{Count - 1}");
            for (var i = first; i <= last; i++) positions.Add(i);
        }
        return new ImageCatalog(Source, Shape, store, positions.Select(p => keys[p]).ToArray(), positions.Select(p => labels[p]).ToArray(), ClassNames,
            masks);
    }

    /// <summary>The same images, each with the ground-truth mask at its position.</summary>
    public ImageCatalog WithMasks(IReadOnlyList<GroundTruthMask> masks) => new(Source, Shape, store, keys, labels, ClassNames, masks);

    /// <summary>Decodes <paramref name="count"/> images from <paramref name="start"/>.</summary>
    /// <param name="buffer">An array to decode into when it is exactly the size of the images; a new one otherwise.</param>
    public ImageRead Read(int start, int count, BadImagePolicy policy = BadImagePolicy.Fail, float[]? buffer = null)
    {
        if (start < 0 || count < 0 || start + (long)count > Count)
            throw new ArgumentOutOfRangeException(nameof(start), $"{Source}: images [{start}, {start + count}) are outside its {Count} images");
        return Read(Enumerable.Range(start, count).ToArray(), policy, buffer);
    }

    /// <summary>
    /// Decodes the images at <paramref name="positions"/>; with <see cref="BadImagePolicy.Skip"/> an unreadable one is left
    /// out and named. The images' pixels are <paramref name="buffer"/> when it fits and nothing was skipped.
    /// </summary>
    public ImageRead Read(IReadOnlyList<int> positions, BadImagePolicy policy = BadImagePolicy.Fail, float[]? buffer = null)
    {
        var pixels = buffer?.Length == positions.Count * (long)Shape.Size ? buffer : new float[positions.Count * (long)Shape.Size];
        var kept = new List<int>(positions.Count);
        var skipped = new List<SkippedImage>();
        var readMasks = new List<GroundTruthMask>();
        foreach (var position in positions)
        {
            if (position < 0 || position >= Count)
                throw new ArgumentOutOfRangeException(nameof(positions), $"{Source}: image {position} is outside 0-{Count - 1}");
            try
            {
                store.Read(keys[position], Shape, pixels.AsSpan(kept.Count * Shape.Size, Shape.Size));
                if (masks is not null) readMasks.Add(masks.Read(keys[position], Shape));
            }
            catch (BadImageException bad) when (policy == BadImagePolicy.Skip)
            {
                skipped.Add(bad.AsSkipped());
                continue;
            }
            kept.Add(position);
        }
        if (kept.Count < positions.Count) pixels = pixels[..(kept.Count * Shape.Size)];
        var images = new ImageSet(Source, Shape, pixels, kept.Select(p => keys[p]).ToArray(), kept.Select(p => labels[p]).ToArray(), ClassNames,
            masks is null ? null : readMasks);
        return new ImageRead(images, skipped);
    }

    /// <summary>Every image, for the small selections a command line names.</summary>
    public ImageSet ReadAll() => Read(0, Count).Images;

    /// <summary>Masks held whole, such as those a built-in benchmark computes with its images.</summary>
    sealed class MasksInMemory : IMaskStore
    {
        readonly Dictionary<int, GroundTruthMask> masks;

        public MasksInMemory(string source, int[] keys, IReadOnlyList<GroundTruthMask> masks)
        {
            if (masks.Count != keys.Length) throw new ArgumentException($"{source}: {masks.Count} ground-truth masks for {keys.Length} images");
            this.masks = keys.Zip(masks).ToDictionary(pair => pair.First, pair => pair.Second);
        }

        public GroundTruthMask Read(int key, ImageShape shape) => masks[key];
    }

    sealed class InMemoryStore(ImageSet images) : IImageStore
    {
        readonly Dictionary<int, int> positions = images.Keys.Select((key, position) => (key, position)).ToDictionary(p => p.key, p => p.position);

        public string Describe(int key) => $"image {key} of {images.Source}";

        public void Read(int key, ImageShape shape, Span<float> destination)
        {
            if (shape != images.Shape) throw new ArgumentException($"{images.Source}: images are {images.Shape}, not {shape}");
            images.Image(positions[key]).CopyTo(destination);
        }
    }
}
