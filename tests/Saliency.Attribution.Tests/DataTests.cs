using System.IO.Compression;
using Saliency.Attribution.Data;
using SkiaSharp;

namespace Saliency.Attribution.Tests;

public class DataTests
{
    [Fact]
    public void Fashion_mnist_test_split_has_10000_labelled_images_in_the_unit_range()
    {
        var test = TestData.FashionTest;
        Assert.Equal(10000, test.Count);
        Assert.Equal(new ImageShape(1, 28, 28), test.Shape);
        Assert.All(test.Labels, l => Assert.InRange(l, 0, 9));
        Assert.InRange(test.Pixels.Max(), 0.99f, 1f);
        Assert.Equal(0f, test.Pixels.Min());
        Assert.Equal(9, test.Labels[0]);
    }

    [Fact]
    public void A_wrong_magic_number_is_reported_with_the_path_and_the_expected_value()
    {
        var path = WriteGzip(new byte[] { 0, 0, 8, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7 });
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("0x00000801", error.Message);
        Assert.Contains("0x00000803", error.Message);
    }

    [Fact]
    public void A_truncated_file_is_reported_with_what_was_expected()
    {
        var path = WriteGzip(new byte[] { 0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3 });
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("2 images of 28×28", error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var error = Assert.Throws<FileNotFoundException>(() => IdxFile.ReadLabels("/nonexistent/labels.gz"));
        Assert.Contains("/nonexistent/labels.gz", error.Message);
    }

    [Fact]
    public void A_missing_data_set_names_the_debian_package()
    {
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load("test", "/nonexistent"));
        Assert.Contains("dataset-fashion-mnist", error.Message);
    }

    [Theory]
    [InlineData("fashion-mnist:test:0-15", 16)]
    [InlineData("fashion-mnist:test:3,5-6", 3)]
    public void Selections_take_inclusive_ranges(string text, int count)
    {
        var images = ImageSelection.Parse(text).Load();
        Assert.Equal(count, images.Count);
        Assert.Equal(TestData.FashionTest.Image(images.Keys[^1]).ToArray(), images.Image(images.Count - 1).ToArray());
    }

    [Theory]
    [InlineData("mnist:test", "unknown source 'mnist'")]
    [InlineData("fashion-mnist:valid", "fashion-mnist:train or fashion-mnist:test")]
    [InlineData("fashion-mnist:test:9-2", "ends before it starts")]
    [InlineData("fashion-mnist:test:a-b", "'a-b'")]
    public void Malformed_selections_say_what_is_wrong(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ImageSelection.Parse(text));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_range_past_the_end_names_the_available_images()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ImageSelection.Parse("fashion-mnist:test:9990-10010").Load());
        Assert.Contains("0-9999", error.Message);
    }

    [Fact]
    public void An_image_folder_is_labelled_by_sub_folder_and_resized_to_the_model()
    {
        var root = TestData.TemporaryDirectory();
        WritePng(Path.Combine(root, "cats", "a.png"), 40, 30, SKColors.White);
        WritePng(Path.Combine(root, "cats", "b.png"), 40, 30, SKColors.Black);
        WritePng(Path.Combine(root, "dogs", "c.png"), 10, 10, new SKColor(255, 0, 0));

        var images = ImageFolder.Open(root, new ImageShape(3, 16, 16)).ReadAll();

        Assert.Equal(new[] { 0, 0, 1 }, images.Labels);
        Assert.Equal(new[] { "cats", "dogs" }, images.ClassNames);
        Assert.All(images.Image(0).ToArray(), v => Assert.Equal(1f, v, 1e-3f));
        Assert.All(images.Image(1).ToArray(), v => Assert.Equal(0f, v, 1e-3f));
        var red = images.Image(2).ToArray();
        Assert.Equal(1f, red[0], 1e-3f);
        Assert.Equal(0f, red[256], 1e-3f);
    }

    static string WriteGzip(byte[] content)
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "data-idx3-ubyte.gz");
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(content);
        return path;
    }

    static void WritePng(string path, int width, int height, SKColor colour)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(colour);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
