using Saliency.Attribution.Data;
using SkiaSharp;

namespace Saliency.Attribution.Tests.Images;

public class ImageFolderTests
{
    static readonly ImageShape Small = new(3, 8, 8);

    /// <summary>A folder of one-colour PNGs: each file's red channel is its index in the folder's documented order, / 255.</summary>
    static string ClassFolder(params (string Class, string File)[] files)
    {
        var root = TestData.TemporaryDirectory();
        foreach (var (index, (folder, file)) in files.Order().Index())
            WritePng(Path.Combine(root, folder, file), new SKColor((byte)index, 0, 0));
        return root;
    }

    static void WritePng(string path, SKColor colour, int width = 12, int height = 10)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(colour);
        File.WriteAllBytes(path, bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray());
    }

    static int RedIndex(ImageSet images, int position) => (int)Math.Round(images.Image(position)[0] * 255);

    [Fact]
    public void Files_are_ordered_by_class_folder_then_file_name_and_labelled_by_class()
    {
        var root = ClassFolder(("dogs", "b.png"), ("cats", "z.png"), ("cats", "a.jpg.png"), ("dogs", "a.png"));
        File.WriteAllText(Path.Combine(root, "cats", "notes.txt"), "not an image");

        var catalog = ImageFolder.Open(root, Small);

        Assert.Equal(["cats", "dogs"], catalog.ClassNames);
        Assert.Equal([0, 0, 1, 1], catalog.Labels);
        Assert.EndsWith("cats/a.jpg.png", catalog.Describe(0));
        Assert.EndsWith("dogs/b.png", catalog.Describe(3));
        var images = catalog.ReadAll();
        Assert.Equal([0, 1, 2, 3], Enumerable.Range(0, 4).Select(p => RedIndex(images, p)));
    }

    [Fact]
    public void Listing_a_folder_decodes_nothing()
    {
        var root = TestData.TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(root, "cats"));
        File.WriteAllText(Path.Combine(root, "cats", "broken.jpg"), "not a jpeg");

        var catalog = ImageFolder.Open(root, Small);

        Assert.Equal(1, catalog.Count);
        Assert.Throws<BadImageException>(() => catalog.ReadAll());
    }

    [Fact]
    public void A_range_of_a_folder_keeps_the_keys_of_the_whole_folder()
    {
        var root = ClassFolder(Enumerable.Range(0, 30).Select(i => (i < 15 ? "a" : "b", $"{i:D2}.png")).ToArray());

        var selection = ImageSelection.Parse($"folder:{root}:3-5,20");
        var catalog = selection.Open(Small);

        Assert.Equal(root, selection.Location);
        Assert.Equal([3, 4, 5, 20], catalog.Keys);
        Assert.Equal([0, 0, 0, 1], catalog.Labels);
        var images = catalog.ReadAll();
        Assert.Equal([3, 4, 5, 20], Enumerable.Range(0, 4).Select(p => RedIndex(images, p)));
    }

    [Fact]
    public void A_folder_path_with_a_colon_is_a_path_unless_its_last_part_is_a_range()
    {
        Assert.Equal("/data/run:2", ImageSelection.Parse("folder:/data/run:2:0-9").Location);
        Assert.Equal("/data/run:two", ImageSelection.Parse("folder:/data/run:two").Location);
        Assert.Empty(ImageSelection.Parse("folder:/data/run:two").Ranges);
    }

    [Fact]
    public void A_range_past_the_end_of_a_folder_names_its_images()
    {
        var root = ClassFolder(("a", "0.png"), ("a", "1.png"));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ImageSelection.Parse($"folder:{root}:0-5").Open(Small));
        Assert.Contains("0-1", error.Message);
    }

    [Fact]
    public void A_flat_folder_is_labelled_by_a_csv_of_class_indices()
    {
        var root = TestData.TemporaryDirectory();
        foreach (var name in new[] { "val_2.png", "val_1.png", "val_3.png" }) WritePng(Path.Combine(root, name), SKColors.Gray);
        var csv = Path.Combine(TestData.TemporaryDirectory(), "labels.csv");
        File.WriteAllLines(csv, ["file,label", "val_1.png,65", "val_2.png,970", "val_3.png,0", "val_9.png,4"]);

        var catalog = ImageFolder.Open(root, Small, labelsCsv: csv);

        Assert.Equal([65, 970, 0], catalog.Labels);
        Assert.Empty(catalog.ClassNames);
    }

    [Fact]
    public void Class_names_in_a_csv_are_numbered_in_ordinal_order()
    {
        var root = TestData.TemporaryDirectory();
        foreach (var name in new[] { "a.png", "b.png", "c.png" }) WritePng(Path.Combine(root, name), SKColors.Gray);
        var csv = Path.Combine(root, "labels.csv");
        File.WriteAllLines(csv, ["a.png,zebra", "b.png,ant", "c.png,zebra"]);

        var catalog = ImageFolder.Open(root, Small, labelsCsv: csv);

        Assert.Equal(["ant", "zebra"], catalog.ClassNames);
        Assert.Equal([1, 0, 1], catalog.Labels);
    }

    [Fact]
    public void An_image_without_a_row_in_the_csv_is_named()
    {
        var root = TestData.TemporaryDirectory();
        WritePng(Path.Combine(root, "a.png"), SKColors.Gray);
        WritePng(Path.Combine(root, "b.png"), SKColors.Gray);
        var csv = Path.Combine(root, "labels.csv");
        File.WriteAllLines(csv, ["a.png,1"]);

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Open(root, Small, labelsCsv: csv));

        Assert.Contains("b.png", error.Message);
        Assert.Contains(csv, error.Message);
    }

    [Fact]
    public void A_malformed_csv_row_names_its_line()
    {
        var root = TestData.TemporaryDirectory();
        WritePng(Path.Combine(root, "a.png"), SKColors.Gray);
        var csv = Path.Combine(root, "labels.csv");
        File.WriteAllLines(csv, ["a.png,1", "b.png"]);

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Open(root, Small, labelsCsv: csv));

        Assert.Contains($"{csv}:2", error.Message);
    }

    [Fact]
    public void A_flat_folder_without_labels_has_no_labels()
    {
        var root = TestData.TemporaryDirectory();
        WritePng(Path.Combine(root, "a.png"), SKColors.Gray);

        Assert.Equal([ImageFolder.NoLabel], ImageFolder.Open(root, Small).Labels);
    }

    [Fact]
    public void An_empty_folder_is_refused_with_the_extensions_it_reads()
    {
        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Open(TestData.TemporaryDirectory(), Small));
        Assert.Contains(".jpg", error.Message);
    }

    [Fact]
    public void Skipping_bad_images_keeps_the_good_ones_and_names_the_bad()
    {
        var root = ClassFolder(("a", "0.png"), ("a", "1.png"), ("a", "2.png"), ("a", "3.png"));
        File.WriteAllBytes(Path.Combine(root, "a", "1.png"), []);
        File.WriteAllBytes(Path.Combine(root, "a", "2.png"), File.ReadAllBytes(Path.Combine(root, "a", "3.png"))[..40]);
        var catalog = ImageFolder.Open(root, Small);

        var read = catalog.Read(0, 4, BadImagePolicy.Skip);

        Assert.Equal([0, 3], read.Images.Keys);
        Assert.Equal([0, 3], Enumerable.Range(0, 2).Select(p => RedIndex(read.Images, p)));
        Assert.Equal([1, 2], read.Skipped.Select(s => s.Key));
        Assert.EndsWith("a/1.png", read.Skipped[0].File);
        Assert.Contains("empty", read.Skipped[0].Reason);

        var error = Assert.Throws<BadImageException>(() => catalog.Read(0, 4, BadImagePolicy.Fail));
        Assert.EndsWith("a/1.png", error.File);
    }
}
