using Saliency.Attribution.Data;
using Saliency.Attribution.Data.GroundTruth;
using SkiaSharp;

namespace Saliency.Attribution.Tests.GroundTruth;

/// <summary>Masks of a folder's images, from PNGs or boxes, taken to the model's input as the images are.</summary>
public sealed class GroundTruthSourceTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("saliency-ground-truth-").FullName;
    static readonly ImageShape Grey = new(1, 8, 8);

    public void Dispose() => Directory.Delete(root, recursive: true);

    string Images(int width = 8, int height = 8)
    {
        var folder = Path.Combine(root, "images");
        // A PNG named .jpeg: its mask is named for it with .png in place of its extension.
        WritePng(Path.Combine(folder, "cats", "a.png"), width, height, (_, _) => 90);
        WritePng(Path.Combine(folder, "dogs", "b.jpeg"), width, height, (_, _) => 30);
        return folder;
    }

    static void WritePng(string path, int width, int height, Func<int, int, byte> grey)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var g = grey(x, y);
                bitmap.SetPixel(x, y, new SKColor(g, g, g));
            }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    static bool[] Flags(Saliency.Attribution.Metrics.Localisation.GroundTruthMask mask) =>
        Enumerable.Range(0, mask.Pixels).Select(p => mask[p]).ToArray();

    ImageRead Read(string source, ImagePreprocess? preprocess = null, ImageShape? shape = null, BadImagePolicy policy = BadImagePolicy.Fail)
    {
        var images = ImageFolder.Open(Path.Combine(root, "images"), shape ?? Grey, preprocess);
        return GroundTruthSource.Parse(source).Attach(images, preprocess).Read(0, images.Count, policy);
    }

    [Fact]
    public void A_mask_folder_gives_each_image_the_png_under_its_relative_name()
    {
        Images();
        WritePng(Path.Combine(root, "masks", "cats", "a.png"), 8, 8, (x, y) => (byte)(x < 2 && y < 3 ? 255 : 0));
        WritePng(Path.Combine(root, "masks", "dogs", "b.png"), 8, 8, (x, _) => (byte)(x == 7 ? 1 : 0));

        var read = Read($"folder:{Path.Combine(root, "masks")}");

        Assert.Equal(2, read.Images.Masks!.Count);
        Assert.Equal(6, read.Images.Masks[0].Foreground);
        Assert.True(read.Images.Masks[0][2, 1]);
        Assert.Equal(8, read.Images.Masks[1].Foreground);
        Assert.True(Enumerable.Range(0, 8).All(y => read.Images.Masks[1][y, 7]));
    }

    [Fact]
    public void Boxes_cover_half_open_ranges_and_several_rows_of_one_image_are_joined()
    {
        Images();
        // A row may name an image by its relative path or by its file name alone.
        File.WriteAllText(Path.Combine(root, "boxes.csv"), "file,x0,y0,x1,y1\ncats/a.png,0,0,2,2\ncats/a.png,6,6,8,8\nb.jpeg,3,4,5,5\n");

        var read = Read($"boxes:{Path.Combine(root, "boxes.csv")}");

        Assert.Equal(2, read.Images.Masks![1].Foreground);
        Assert.True(read.Images.Masks[1][4, 3] && read.Images.Masks[1][4, 4]);
        Assert.Equal(8, read.Images.Masks[0].Foreground);
        Assert.True(read.Images.Masks[0][7, 7] && read.Images.Masks[0][0, 0] && !read.Images.Masks[0][2, 2]);
    }

    [Fact]
    public void A_mask_is_resized_by_nearest_neighbour_and_cropped_where_its_image_is()
    {
        // 16 × 8 images resized to a shorter side of 8 and cropped to 8 × 8 from the middle: columns 4..11 of the file.
        Images(width: 16, height: 8);
        File.WriteAllText(Path.Combine(root, "boxes.csv"), "cats/a.png,4,0,6,8\ndogs/b.jpeg,10,2,16,4\n");

        var read = Read($"boxes:{Path.Combine(root, "boxes.csv")}", new ImagePreprocess(Resize: 8, Crop: 8), new ImageShape(3, 8, 8));

        Assert.Equal(Enumerable.Range(0, 64).Select(p => p % 8 < 2).ToArray(), Flags(read.Images.Masks![0]));
        Assert.Equal(Enumerable.Range(0, 64).Select(p => p % 8 >= 6 && p / 8 is 2 or 3).ToArray(), Flags(read.Images.Masks[1]));
    }

    [Fact]
    public void A_mask_resized_down_stays_binary_and_keeps_its_share_of_the_image()
    {
        Images(width: 32, height: 32);
        WritePng(Path.Combine(root, "masks", "cats", "a.png"), 32, 32, (x, y) => (byte)(x < 16 ? 255 : 0));
        WritePng(Path.Combine(root, "masks", "dogs", "b.png"), 32, 32, (_, y) => (byte)(y >= 24 ? 255 : 0));

        var read = Read($"folder:{Path.Combine(root, "masks")}");

        Assert.Equal(32, read.Images.Masks![0].Foreground);
        Assert.Equal(16, read.Images.Masks[1].Foreground);
    }

    [Theory]
    [InlineData("missing", "no ground-truth mask for cats/a.png")]
    [InlineData("wrong-size", "the mask is 4×8 pixels and its image 8×8")]
    [InlineData("empty", "the mask is empty")]
    [InlineData("not-binary", "the mask is not binary")]
    public void A_bad_mask_is_a_bad_image_that_names_its_file(string fault, string message)
    {
        Images();
        var masks = Path.Combine(root, "masks");
        WritePng(Path.Combine(masks, "dogs", "b.png"), 8, 8, (x, _) => (byte)(x < 4 ? 255 : 0));
        var bad = Path.Combine(masks, "cats", "a.png");
        switch (fault)
        {
            case "wrong-size": WritePng(bad, 4, 8, (_, _) => 255); break;
            case "empty": WritePng(bad, 8, 8, (_, _) => 0); break;
            case "not-binary": WritePng(bad, 8, 8, (x, _) => (byte)(x * 30)); break;
            default: Directory.CreateDirectory(Path.GetDirectoryName(bad)!); break;
        }

        var error = Assert.Throws<BadImageException>(() => Read($"folder:{masks}"));
        Assert.Contains(message, error.Message);
        Assert.Contains(bad, error.Message);
    }

    [Fact]
    public void Under_skip_an_image_whose_mask_is_bad_is_left_out_and_named()
    {
        Images();
        WritePng(Path.Combine(root, "masks", "dogs", "b.png"), 8, 8, (x, _) => (byte)(x < 4 ? 255 : 0));

        var read = Read($"folder:{Path.Combine(root, "masks")}", policy: BadImagePolicy.Skip);

        Assert.Equal(1, read.Images.Count);
        Assert.Single(read.Images.Masks!);
        Assert.Contains("no ground-truth mask", Assert.Single(read.Skipped).Reason);
    }

    [Fact]
    public void A_box_outside_its_image_is_a_bad_image_that_names_the_line()
    {
        Images();
        var csv = Path.Combine(root, "boxes.csv");
        File.WriteAllText(csv, "b.jpeg,0,0,2,2\ncats/a.png,6,6,9,8\n");

        var error = Assert.Throws<BadImageException>(() => Read($"boxes:{csv}"));

        Assert.Contains($"{csv}:2", error.Message);
        Assert.Contains("is not inside cats/a.png, which is 8×8 pixels", error.Message);
    }

    [Theory]
    [InlineData("b.png,0,0,2\n", ":1: expected five fields")]
    [InlineData("b.png,0,zero,2,2\n", ":1: field 3 (y0) is not an integer")]
    public void A_malformed_box_file_is_refused_when_opened_naming_its_line(string content, string message)
    {
        Images();
        var csv = Path.Combine(root, "boxes.csv");
        File.WriteAllText(csv, content.Replace("b.png", "b.jpeg"));
        var images = ImageFolder.Open(Path.Combine(root, "images"), Grey);

        var error = Assert.Throws<InvalidDataException>(() => GroundTruthSource.Parse($"boxes:{csv}").Attach(images, null));

        Assert.Contains(csv + message, error.Message);
    }

    [Theory]
    [InlineData("masks:here", "unknown source 'masks'")]
    [InlineData("folder:", "no path after 'folder:'")]
    public void A_source_is_a_folder_or_a_box_file(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => GroundTruthSource.Parse(text)).Message);

    [Fact]
    public void Ground_truth_outside_the_allowed_roots_is_refused_before_a_mask_is_read()
    {
        Images();
        var elsewhere = Directory.CreateTempSubdirectory("saliency-elsewhere-").FullName;
        try
        {
            var allowed = new AllowedRoots([root]);
            var images = ImageFolder.Open(Path.Combine(root, "images"), Grey, allowed: allowed);
            var error = Assert.Throws<UnauthorizedAccessException>(() => GroundTruthSource.Parse($"folder:{elsewhere}").Attach(images, null, allowed));
            Assert.Contains("ground-truth folder", error.Message);
        }
        finally { Directory.Delete(elsewhere); }
    }
}
