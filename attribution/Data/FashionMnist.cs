namespace Saliency.Attribution.Data;

/// <summary>Fashion-MNIST (Xiao et al. 2017) from IDX files, by default those of Debian's dataset-fashion-mnist.</summary>
public static class FashionMnist
{
    public const string DefaultRoot = "/usr/share/datasets/fashion-mnist";
    public const string RootVariable = "SALIENCY_FASHION_MNIST";
    public const string DebianPackage = "dataset-fashion-mnist";

    public static readonly IReadOnlyList<string> ClassNames = new[]
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    /// <summary>The shape of every Fashion-MNIST image, known before the files are read.</summary>
    public static ImageShape Shape { get; } = new(1, 28, 28);

    public static string Root => Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } root ? root : DefaultRoot;

    public static ImageSet Load(string split, string? root = null)
    {
        root ??= Root;
        var prefix = split switch
        {
            "train" => "train",
            "test" => "t10k",
            _ => throw new ArgumentException($"unknown Fashion-MNIST split '{split}': expected 'train' or 'test'"),
        };
        var imagesPath = Locate(root, $"{prefix}-images-idx3-ubyte");
        var labelsPath = Locate(root, $"{prefix}-labels-idx1-ubyte");
        var images = IdxFile.ReadImages(imagesPath);
        var labels = IdxFile.ReadLabels(labelsPath);
        if (labels.Length != images.Count)
            throw new InvalidDataException($"{labelsPath}: {labels.Length} labels, expected {images.Count} to match {imagesPath}");

        var pixels = new float[images.Pixels.Length];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = images.Pixels[i] / 255f;
        return new ImageSet($"fashion-mnist:{split}", new ImageShape(1, images.Rows, images.Columns), pixels,
            Enumerable.Range(0, images.Count).ToArray(), labels.Select(l => (int)l).ToArray(), ClassNames);
    }

    static string Locate(string root, string name)
    {
        foreach (var candidate in new[] { Path.Combine(root, name + ".gz"), Path.Combine(root, name) })
            if (File.Exists(candidate)) return candidate;
        throw new FileNotFoundException(
            $"Fashion-MNIST file {name}.gz not found in {root} (install the Debian package '{DebianPackage}' or set {RootVariable})",
            Path.Combine(root, name + ".gz"));
    }
}
