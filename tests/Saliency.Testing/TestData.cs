using Saliency.Attribution.Data;
using Saliency.Attribution.Models;

namespace Saliency.Testing;

/// <summary>The real data and shipped model every test shares, loaded once.</summary>
public static class TestData
{
    static readonly Lazy<ImageSet> Test = new(() => FashionMnist.Load("test"));

    public static ImageSet FashionTest => Test.Value;

    public static ImageSet FirstTestImages(int count) => FashionTest.Slice(0, count);

    public static ImageClassifier ShippedModel() => ModelLoader.Load(FashionCnn.BuiltInName);

    /// <summary>Images of uniform random pixels, keyed from 10, for known-answer tests on synthetic models.</summary>
    public static ImageSet RandomImages(ImageShape shape, int count, int seed)
    {
        var random = new Random(seed);
        var pixels = Enumerable.Range(0, count * shape.Size).Select(_ => (float)random.NextDouble()).ToArray();
        return new ImageSet("random", shape, pixels, Enumerable.Range(10, count).ToArray(), new int[count]);
    }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>The photographs the project ships (client/photos), copied beside the tests.</summary>
    public static string Photos => Path.Combine(AppContext.BaseDirectory, "photos");

    public static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "saliency-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
