using Saliency.Attribution.Data;
using SkiaSharp;

namespace Saliency.Attribution.Tests.Images;

public sealed class AllowedRootsTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "saliency-roots-" + Guid.NewGuid().ToString("N")[..8]);
    readonly string allowed;
    readonly string outside;

    public AllowedRootsTests()
    {
        allowed = Directory.CreateDirectory(Path.Combine(root, "allowed", "images")).Parent!.FullName;
        outside = Directory.CreateDirectory(Path.Combine(root, "outside")).FullName;
    }

    [Fact]
    public void A_path_inside_a_root_passes() =>
        new AllowedRoots([allowed]).Require(Path.Combine(allowed, "images"), "data folder");

    [Fact]
    public void An_absolute_path_elsewhere_is_refused_naming_the_path_and_the_roots()
    {
        var error = Assert.Throws<UnauthorizedAccessException>(() => new AllowedRoots([allowed]).Require(outside, "data folder"));
        Assert.Contains(outside, error.Message);
        Assert.Contains(allowed, error.Message);
    }

    [Fact]
    public void Dot_dot_out_of_a_root_is_refused() =>
        Assert.Throws<UnauthorizedAccessException>(() => new AllowedRoots([allowed]).Require(Path.Combine(allowed, "..", "outside"), "data folder"));

    [Fact]
    public void A_symbolic_link_out_of_a_root_is_refused()
    {
        var link = Path.Combine(allowed, "escape");
        Directory.CreateSymbolicLink(link, outside);
        Assert.Throws<UnauthorizedAccessException>(() => new AllowedRoots([allowed]).Require(Path.Combine(link, "model.pt"), "model file"));
    }

    [Fact]
    public void A_root_sharing_a_prefix_is_not_a_parent() =>
        Assert.Throws<UnauthorizedAccessException>(() => new AllowedRoots([allowed]).Require(allowed + "-sibling", "data folder"));

    [Fact]
    public void An_image_inside_an_allowed_folder_that_links_outside_is_refused_naming_it()
    {
        var images = Path.Combine(allowed, "images");
        WriteImage(Path.Combine(images, "a.png"), SKColors.Red);
        WriteImage(Path.Combine(outside, "secret.png"), SKColors.Blue);
        File.CreateSymbolicLink(Path.Combine(images, "b.png"), Path.Combine(outside, "secret.png"));

        var error = Assert.Throws<UnauthorizedAccessException>(() => ImageFolder.Open(images, new ImageShape(3, 8, 8), allowed: new AllowedRoots([allowed])));

        Assert.Contains("image '" + Path.Combine(images, "b.png") + "'", error.Message);
    }

    [Fact]
    public void A_class_folder_that_links_outside_is_refused()
    {
        var images = Path.Combine(allowed, "images");
        WriteImage(Path.Combine(images, "cat", "a.png"), SKColors.Red);
        WriteImage(Path.Combine(outside, "dog", "secret.png"), SKColors.Blue);
        Directory.CreateSymbolicLink(Path.Combine(images, "dog"), Path.Combine(outside, "dog"));

        Assert.Throws<UnauthorizedAccessException>(() => ImageFolder.Open(images, new ImageShape(3, 8, 8), allowed: new AllowedRoots([allowed])));
    }

    [Fact]
    public void What_is_read_is_the_file_judged_even_when_a_link_on_the_way_is_turned_elsewhere_afterwards()
    {
        var images = Path.Combine(allowed, "images");
        WriteImage(Path.Combine(images, "a.png"), SKColors.Red);
        WriteImage(Path.Combine(allowed, "elsewhere", "a.png"), SKColors.Blue);
        var link = Path.Combine(allowed, "current");
        Directory.CreateSymbolicLink(link, images);
        var catalog = ImageFolder.Open(link, new ImageShape(3, 8, 8), allowed: new AllowedRoots([allowed]));

        Directory.Delete(link);
        Directory.CreateSymbolicLink(link, Path.Combine(allowed, "elsewhere"));
        var pixels = catalog.ReadAll();

        Assert.Equal(1f, pixels.Image(0)[0], 0.02f);
        Assert.Equal(0f, pixels.Image(0)[2 * 64], 0.02f);
    }

    [Fact]
    public void An_image_swapped_for_a_link_after_it_was_judged_is_not_read()
    {
        var images = Path.Combine(allowed, "images");
        WriteImage(Path.Combine(images, "a.png"), SKColors.Red);
        WriteImage(Path.Combine(outside, "secret.png"), SKColors.Blue);
        var catalog = ImageFolder.Open(images, new ImageShape(3, 8, 8), allowed: new AllowedRoots([allowed]));

        File.Delete(Path.Combine(images, "a.png"));
        File.CreateSymbolicLink(Path.Combine(images, "a.png"), Path.Combine(outside, "secret.png"));

        var error = Assert.Throws<BadImageException>(() => catalog.ReadAll());
        Assert.Contains("led elsewhere when it was opened than when it was judged", error.Message);
    }

    static void WriteImage(string path, SKColor colour)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(8, 8);
        bitmap.Erase(colour);
        File.WriteAllBytes(path, bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray());
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
