using Saliency.Attribution.Data;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests;

/// <summary>The real data and shipped model every test shares, loaded once.</summary>
public static class TestData
{
    static readonly Lazy<ImageSet> test = new(() => FashionMnist.Load("test"));

    public static ImageSet FashionTest => test.Value;

    public static ImageSet FirstTestImages(int count) => FashionTest.Slice(0, count);

    public static ImageClassifier ShippedModel() => ModelLoader.Load(FashionCnn.BuiltInName);

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
