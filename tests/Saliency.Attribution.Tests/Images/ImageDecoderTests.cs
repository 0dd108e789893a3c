using Saliency.Attribution.Data;
using SkiaSharp;

namespace Saliency.Attribution.Tests.Images;

/// <summary>The fixtures are one picture (red left half, blue right half, green top-left quarter) in several encodings; see scripts/make_photo_fixtures.py.</summary>
public class ImageDecoderTests
{
    static readonly ImageShape Picture = new(3, 24, 32);

    static float[] Decode(string file, ImageShape shape, ImagePreprocess? preprocess = null)
    {
        var pixels = new float[shape.Size];
        ImageDecoder.Decode(file, 0, shape, preprocess ?? ImagePreprocess.Default, pixels);
        return pixels;
    }

    static (float R, float G, float B) At(float[] pixels, ImageShape shape, int x, int y)
    {
        var plane = shape.Height * shape.Width;
        var at = y * shape.Width + x;
        return (pixels[at], pixels[plane + at], pixels[2 * plane + at]);
    }

    static void AssertColour((float R, float G, float B) expected, (float R, float G, float B) actual, float tolerance = 0.08f)
    {
        Assert.Equal(expected.R, actual.R, tolerance);
        Assert.Equal(expected.G, actual.G, tolerance);
        Assert.Equal(expected.B, actual.B, tolerance);
    }

    [Theory]
    [InlineData("upright.png")]
    [InlineData("palette.png")]
    [InlineData("alpha.png")]
    [InlineData("cmyk.jpg")]
    [InlineData("orientation-3.jpg")]
    [InlineData("orientation-6.jpg")]
    [InlineData("orientation-8.jpg")]
    public void Every_encoding_of_the_picture_decodes_to_the_same_upright_RGB_pixels(string name)
    {
        var pixels = Decode(TestData.Fixture(Path.Combine("images", name)), Picture);

        AssertColour((0, 1, 0), At(pixels, Picture, 3, 4));
        AssertColour((1, 0, 0), At(pixels, Picture, 12, 18));
        AssertColour((0, 0, 1), At(pixels, Picture, 26, 5));
        AssertColour((0, 0, 1), At(pixels, Picture, 26, 20));
    }

    [Fact]
    public void A_grey_image_gives_equal_channels()
    {
        var pixels = Decode(TestData.Fixture("images/grey.png"), Picture);
        var (r, g, b) = At(pixels, Picture, 12, 18);
        Assert.Equal(r, g);
        Assert.Equal(g, b);
        Assert.Equal(0.299f, r, 0.01f);
    }

    [Fact]
    public void Alpha_is_dropped_not_blended()
    {
        // The fixture's alpha is 40 of 255 everywhere: blending would darken red to about 0.16.
        var pixels = Decode(TestData.Fixture("images/alpha.png"), Picture);
        Assert.Equal(1f, At(pixels, Picture, 12, 18).R, 1e-6f);
    }

    [Fact]
    public void An_image_of_the_output_size_decodes_to_its_exact_bytes()
    {
        var file = Path.Combine(TestData.TemporaryDirectory(), "noise.png");
        var random = new Random(7);
        using (var bitmap = new SKBitmap(new SKImageInfo(20, 10, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            for (var y = 0; y < 10; y++)
                for (var x = 0; x < 20; x++)
                    bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            File.WriteAllBytes(file, bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray());
        }
        var shape = new ImageShape(3, 10, 20);

        var pixels = Decode(file, shape);

        using var reference = SKBitmap.Decode(file);
        for (var y = 0; y < 10; y++)
            for (var x = 0; x < 20; x++)
            {
                var colour = reference.GetPixel(x, y);
                Assert.Equal((colour.Red / 255f, colour.Green / 255f, colour.Blue / 255f), At(pixels, shape, x, y));
            }
    }

    [Fact]
    public void The_shorter_side_is_resized_and_the_centre_cropped()
    {
        // 300 × 100: three 100-pixel squares, red, green, blue. A 30 × 30 input keeps the green centre.
        var file = Path.Combine(TestData.TemporaryDirectory(), "strip.png");
        using (var bitmap = new SKBitmap(300, 100))
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.DrawRect(0, 0, 100, 100, new SKPaint { Color = SKColors.Red });
            canvas.DrawRect(100, 0, 100, 100, new SKPaint { Color = new SKColor(0, 255, 0) });
            canvas.DrawRect(200, 0, 100, 100, new SKPaint { Color = SKColors.Blue });
            canvas.Flush();
            File.WriteAllBytes(file, bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray());
        }
        var shape = new ImageShape(3, 30, 30);

        // Resized to 90 × 30, the crop is columns 30-59: the green square, blended with its neighbours at the very edges.
        var cropped = Decode(file, shape);
        Assert.All(Enumerable.Range(2, 26), x => AssertColour((0, 1, 0), At(cropped, shape, x, 15), 0.02f));

        // Resized to 180 × 60 first, the crop is columns 75-104: inside the green square (60-119) throughout.
        var resized = Decode(file, shape, new ImagePreprocess(Resize: 60, Crop: 30));
        Assert.All(Enumerable.Range(0, 30), x => AssertColour((0, 1, 0), At(resized, shape, x, 15), 0.02f));
    }

    [Fact]
    public void Torchvision_geometry_resizes_the_shorter_side_and_rounds_the_crop_offset()
    {
        var geometry = new ImagePreprocess(Resize: 256, Crop: 224).Geometry(500, 375, new ImageShape(3, 224, 224));
        Assert.Equal(new CropGeometry(341, 256, 58, 16), geometry);
    }

    [Fact]
    public void A_large_jpeg_decodes_close_to_the_full_scale_result()
    {
        // Decoded at a reduced scale by libjpeg, then resized: the result stays close to resizing the full image.
        var file = Path.Combine(TestData.TemporaryDirectory(), "large.jpg");
        using (var bitmap = new SKBitmap(1600, 1200))
        using (var canvas = new SKCanvas(bitmap))
        using (var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(1600, 1200),
                   [SKColors.Red, SKColors.Yellow, SKColors.Blue], SKShaderTileMode.Clamp))
        {
            canvas.DrawRect(0, 0, 1600, 1200, new SKPaint { Shader = shader });
            canvas.Flush();
            File.WriteAllBytes(file, bitmap.Encode(SKEncodedImageFormat.Jpeg, 95).ToArray());
        }
        var shape = new ImageShape(3, 64, 64);
        var pixels = Decode(file, shape);

        using var full = SKBitmap.Decode(file);
        // The centre pixel of the 64 × 64 crop of the 85 × 64 resize is near the middle of the full image.
        var colour = full.GetPixel(800, 600);
        AssertColour((colour.Red / 255f, colour.Green / 255f, colour.Blue / 255f), At(pixels, shape, 32, 32), 0.04f);
    }

    [Theory]
    [InlineData(0, "empty file (0 bytes)")]
    [InlineData(1, "not a decodable image")]
    [InlineData(2, "truncated")]
    public void An_unreadable_file_names_itself_and_what_is_wrong(int kind, string expected)
    {
        var file = Path.Combine(TestData.TemporaryDirectory(), "bad.jpg");
        var photo = File.ReadAllBytes(Path.Combine(TestData.Photos, "chelsea.jpg"));
        File.WriteAllBytes(file, kind switch
        {
            0 => [],
            1 => "this is not an image"u8.ToArray(),
            _ => photo[..(photo.Length / 2)],
        });

        var error = Assert.Throws<BadImageException>(() => Decode(file, new ImageShape(3, 224, 224)));

        Assert.Contains(file, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Equal(file, error.File);
    }

    [Fact]
    public void A_missing_file_is_a_bad_image_that_names_it()
    {
        var error = Assert.Throws<BadImageException>(() => Decode("/nonexistent/photo.jpg", Picture));
        Assert.Contains("/nonexistent/photo.jpg", error.Message);
    }

    [Fact]
    public void An_image_declaring_more_pixels_than_the_limit_is_a_bad_image_refused_from_its_header()
    {
        // A hundred bytes that declare 65,535 × 65,535 RGBA pixels: a 17 GB bitmap, were it decoded.
        var file = Path.Combine(TestData.TemporaryDirectory(), "bomb.png");
        File.WriteAllBytes(file, PngHeaderOnly(65_535, 65_535));

        var error = Assert.Throws<BadImageException>(() => Decode(file, new ImageShape(3, 224, 224)));

        Assert.Contains("65535 × 65535 pixels, above the limit", error.Message);
    }

    /// <summary>A PNG's signature, its IHDR chunk (8-bit RGBA), the start of its first row, and IEND: the header a decoder reads first, and almost no pixels.</summary>
    static byte[] PngHeaderOnly(int width, int height)
    {
        var png = new List<byte>([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        void Chunk(string type, byte[] data)
        {
            png.AddRange(BigEndian(data.Length));
            var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            png.AddRange(typed);
            png.AddRange(BigEndian((int)Crc32(typed)));
        }
        Chunk("IHDR", [.. BigEndian(width), .. BigEndian(height), 8, 6, 0, 0, 0]);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
                zlib.Write(new byte[1024]);
            Chunk("IDAT", compressed.ToArray());
        }
        Chunk("IEND", []);
        return [.. png];
    }

    static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
