using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Saliency.Attribution.Data;
using Saliency.Grains.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchPhotosSettings : BenchSettings
{
    [CommandOption("--sizes <LIST>"), Description("Comma-separated image counts of the noop sweeps.")]
    [DefaultValue("1000,10000,50000")]
    public string Sizes { get; init; } = "1000,10000,50000";

    [CommandOption("--folder <DIR>"), Description("Where the generated JPEGs are kept between runs.")]
    [DefaultValue("/tmp/saliency-bench-photos")]
    public string Folder { get; init; } = "/tmp/saliency-bench-photos";

    [CommandOption("--shard <N>")]
    [DefaultValue(64)]
    public int Shard { get; init; } = 64;

    [CommandOption("--decode <N>"), Description("Images decoded on one thread to measure the decode rate.")]
    [DefaultValue(1000)]
    public int Decode { get; init; } = 1000;

    /// <summary>Set on the child process that runs one sweep, so each size's peak memory is its own.</summary>
    [CommandOption("--one <IMAGES>", IsHidden = true)]
    public int? One { get; init; }
}

/// <summary>
/// Folders of photographs at scale: how fast one core decodes 224 × 224 JPEGs and larger ones resized and cropped
/// as torchvision does, and the peak memory of a noop sweep (every image decoded, no model work) over 1,000 to
/// 50,000 generated JPEGs, each size in a fresh process. Flat memory is the point: no process holds the folder.
/// </summary>
public sealed class BenchPhotosCommand : AsyncCommand<BenchPhotosSettings>
{
    const string ResultPrefix = "photos-result ";
    static readonly ImageShape Input = new(3, 224, 224);

    public override async Task<int> ExecuteAsync(CommandContext context, BenchPhotosSettings settings, CancellationToken cancellation)
    {
        var folder = Path.GetFullPath(settings.Folder);
        if (settings.One is { } one)
        {
            FreshProcess.Report(ResultPrefix, await PhotoSweep.Measure(Path.Combine(folder, "224"), one, settings.Shard, cancellation));
            return 0;
        }

        var sizes = FreshProcess.PositiveNumbers(settings.Sizes, "--sizes");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]generating up to {sizes.Max():N0} JPEGs of 224 × 224 in {folder}/224 (kept for later runs)…[/]");
        GeneratedPhotos.Ensure(Path.Combine(folder, "224"), sizes.Max(), 224, 224);
        GeneratedPhotos.Ensure(Path.Combine(folder, "500x375"), Math.Min(settings.Decode, 500), 500, 375);

        var decoding = new BenchmarkTable("Decoding on one thread, to [3, 224, 224] floats", "images", "preprocess", "images", "images/s per core", "ms per image");
        foreach (var (name, subfolder, preprocess) in new[]
                 {
                     ("224 × 224 JPEG", "224", ImagePreprocess.Default),
                     ("500 × 375 JPEG", "500x375", new ImagePreprocess(Resize: 256, Crop: 224)),
                 })
        {
            var (count, seconds) = DecodeRate(Path.Combine(folder, subfolder), preprocess, settings.Decode);
            decoding.Add(name, preprocess == ImagePreprocess.Default ? "none (already the input size)" : "resize 256, centre crop 224", count, count / seconds, seconds * 1000 / count);
        }
        decoding.Print();
        decoding.Write(settings.Out, "photos-decode", Machine.Describe(1));

        var rows = new List<PhotoSweepRow>();
        foreach (var size in sizes)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]noop sweep over {size:N0} images…[/]");
            rows.Add(await RunChild(folder, size, settings, cancellation));
        }
        var table = new BenchmarkTable(
            $"noop sweeps over generated 224 × 224 JPEGs on the embedded silo (coordinator and worker in one process), shards of {settings.Shard}",
            "images", "total s", "images/s", "peak RSS MiB", "growth from the first row");
        foreach (var row in rows)
            table.Add(row.Images.ToString("N0", CultureInfo.InvariantCulture), row.TotalSeconds, row.Images / row.TotalSeconds, row.PeakResidentMiB,
                $"{(row.PeakResidentMiB / rows[0].PeakResidentMiB - 1) * 100:F1}%");
        table.Print();
        table.Write(settings.Out, "photos", Machine.Describe(1));
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"written to [bold]{Path.Combine(settings.Out, "photos.md")}[/]");
        return 0;
    }

    static (int Count, double Seconds) DecodeRate(string folder, ImagePreprocess preprocess, int count)
    {
        var catalog = ImageFolder.Open(folder, Input, preprocess);
        count = Math.Min(count, catalog.Count);
        var pixels = new float[Input.Size];
        // A first pass warms the file cache and the JIT; the second is timed.
        for (var i = 0; i < Math.Min(50, count); i++) ImageDecoder.Decode(catalog.Describe(i), i, Input, preprocess, pixels);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) ImageDecoder.Decode(catalog.Describe(i), i, Input, preprocess, pixels);
        return (count, clock.Elapsed.TotalSeconds);
    }

    static Task<PhotoSweepRow> RunChild(string folder, int images, BenchPhotosSettings settings, CancellationToken cancellation) =>
        FreshProcess.Measure<PhotoSweepRow>(
            ["bench", "photos", "--one", images.ToString(CultureInfo.InvariantCulture), "--folder", folder, "--shard", settings.Shard.ToString(CultureInfo.InvariantCulture)],
            ResultPrefix, $"the photo sweep over {images} images", cancellation);
}

public sealed record PhotoSweepRow(int Images, double TotalSeconds, double PeakResidentMiB);

/// <summary>One noop sweep over the first images of the folder, on an embedded silo in this process.</summary>
static class PhotoSweep
{
    public static async Task<PhotoSweepRow> Measure(string folder, int images, int shard, CancellationToken cancellation)
    {
        var root = Path.Combine(Path.GetTempPath(), $"saliency-bench-photos-{Environment.ProcessId}");
        var silo = await InProcessSilo.Start(options => options.ArtifactRoot = Path.Combine(root, "runs"), cancellation: cancellation);
        try
        {
            var grains = silo.Grains;
            await BenchSweep.RunToEnd(grains, Spec("warm-up", folder, Math.Min(images, 256), shard), cancellation);
            var clock = Stopwatch.StartNew();
            await BenchSweep.RunToEnd(grains, Spec("photos", folder, images, shard), cancellation);
            return new PhotoSweepRow(images, clock.Elapsed.TotalSeconds, Machine.PeakResidentMiB());
        }
        finally
        {
            await silo.DisposeAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    static string Spec(string name, string folder, int images, int shard) => $$"""
        name: {{name}}
        model: untrained:resnet18
        data: folder:{{folder}}:0-{{images - 1}}
        methods: { noop: {} }
        metrics: [completeness]
        shard: {{shard}}
        maps: 0
        """;
}
