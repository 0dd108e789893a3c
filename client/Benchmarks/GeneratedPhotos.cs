using SkiaSharp;

namespace Saliency.Cli.Benchmarks;

/// <summary>
/// JPEG photographs-to-be for benchmarks: smooth gradients with a few shapes, each image its own, in ten class
/// folders. They compress as photographs do (a few kB at 224 × 224), so reading them costs what a real folder costs.
/// </summary>
public static class GeneratedPhotos
{
    /// <summary>Makes <paramref name="count"/> images of <paramref name="width"/> × <paramref name="height"/> under <paramref name="root"/>, keeping any already there.</summary>
    public static void Ensure(string root, int count, int width, int height)
    {
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var path = PathOf(root, i);
            if (File.Exists(path)) return;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var random = new Random(i);
            using var bitmap = new SKBitmap(width, height);
            using (var canvas = new SKCanvas(bitmap))
            {
                SKColor Colour() => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                using var gradient = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [Colour(), Colour()], SKShaderTileMode.Clamp);
                canvas.DrawRect(0, 0, width, height, new SKPaint { Shader = gradient });
                for (var shape = 0; shape < 4; shape++)
                    canvas.DrawCircle(random.Next(width), random.Next(height), random.Next(8, Math.Max(9, width / 4)), new SKPaint { Color = Colour(), IsAntialias = true });
            }
            var temporary = path + ".partial";
            File.WriteAllBytes(temporary, bitmap.Encode(SKEncodedImageFormat.Jpeg, 85).ToArray());
            File.Move(temporary, path, overwrite: true);
        });
    }

    /// <summary>Image <paramref name="index"/>'s file: ten class folders, so the folder's order interleaves them by class.</summary>
    public static string PathOf(string root, int index) => Path.Combine(root, $"class-{index % 10}", $"{index:D6}.jpg");
}
