using SkiaSharp;

namespace Saliency.Cluster.Tests;

/// <summary>Folders of small generated PNGs for sweeps over image files.</summary>
public static class GeneratedImageFolder
{
    /// <summary>A folder of <paramref name="count"/> small photographs-to-be in three class folders, each image its own, below <paramref name="parent"/> (the temporary folder by default).</summary>
    public static string Create(int count, string? parent = null)
    {
        var root = Path.Combine(parent ?? Path.GetTempPath(), "saliency-photos-" + Guid.NewGuid().ToString("N")[..8]);
        var random = new Random(11);
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(root, $"class-{i % 3}", $"{i:D4}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var bitmap = new SKBitmap(40, 30);
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
                canvas.DrawCircle(random.Next(40), random.Next(30), 8, new SKPaint { Color = SKColors.White });
            }
            File.WriteAllBytes(path, bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray());
        }
        return root;
    }
}
