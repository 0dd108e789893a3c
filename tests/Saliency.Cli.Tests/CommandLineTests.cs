using System.Text.Json;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Output;

namespace Saliency.Cli.Tests;

[Trait("Lane", "Unit")]
public class CommandLineTests
{
    [Fact]
    public void Attribute_writes_a_map_per_image_and_a_report_whose_deltas_hold()
    {
        var directory = TestData.TemporaryDirectory();

        var exit = SaliencyApp.Run(new[] { "attribute", "--images", "fashion-mnist:test:0-3", "--baseline", "blur:5", "--steps", "64", "--out", directory, "--threads", "2" });

        Assert.Equal(0, exit);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "attributions.json")));
        var results = report.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(4, results.Length);
        foreach (var result in results)
        {
            var (values, shape) = NpyFile.Read(Path.Combine(directory, result.GetProperty("map").GetString()!));
            Assert.Equal(new[] { 1, 28, 28 }, shape);
            Assert.Equal(result.GetProperty("attribution_sum").GetDouble(), values.Sum(v => (double)v), 1e-3);
            var change = result.GetProperty("score").GetDouble() - result.GetProperty("baseline_score").GetDouble();
            Assert.Equal(result.GetProperty("delta").GetDouble(), result.GetProperty("attribution_sum").GetDouble() - change, 1e-6);
            Assert.Equal(64, result.GetProperty("steps").GetInt32());
        }
        Assert.Equal("blur:5", report.RootElement.GetProperty("parameters").GetProperty("baseline").GetString());
        Assert.Equal("fashion-mnist:test:0-3", report.RootElement.GetProperty("images").GetString());
    }

    [Fact]
    public void Every_catalog_method_gets_a_column_of_the_comparison_sheet()
    {
        var directory = TestData.TemporaryDirectory();
        var methods = MethodCatalog.Names;

        var exit = SaliencyApp.Run(new[] { "attribute", "--images", "fashion-mnist:test:0-0", "--method", string.Join(",", methods), "--steps", "4",
            "--samples", "2", "--iterations", "1", "--path-steps", "4", "--masks", "20", "--png", "--out", directory });

        Assert.Equal(0, exit);
        Assert.All(methods, method => Assert.True(File.Exists(Path.Combine(directory, method, "map_00000.png")), method));
        using var sheet = SkiaSharp.SKBitmap.Decode(Path.Combine(directory, "comparison.png"));
        // The image's column and one column per method, each at least a 112-pixel panel wide.
        Assert.True(sheet.Width > (methods.Count + 1) * 112, $"sheet {sheet.Width} pixels wide for {methods.Count} methods");
    }

    [Fact]
    public void Several_methods_write_their_own_folders_metrics_and_one_comparison_sheet()
    {
        var directory = TestData.TemporaryDirectory();

        var exit = SaliencyApp.Run(new[] { "attribute", "--images", "fashion-mnist:test:0-2", "--method", "ig,gradcam,random", "--steps", "16",
            "--metrics", "deletion,insertion", "--png", "--out", directory });

        Assert.Equal(0, exit);
        foreach (var method in new[] { "ig", "gradcam", "random" })
        {
            using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, method, "attributions.json")));
            Assert.Equal(method, report.RootElement.GetProperty("method").GetString());
            foreach (var result in report.RootElement.GetProperty("results").EnumerateArray())
            {
                Assert.InRange(result.GetProperty("deletion_auc").GetDouble(), 0, 1);
                Assert.InRange(result.GetProperty("insertion_auc").GetDouble(), 0, 1);
                Assert.Equal(29, result.GetProperty("insertion_curve").GetArrayLength());
            }
            Assert.True(File.Exists(Path.Combine(directory, method, "heatmap_00002.png")));
            Assert.True(File.Exists(Path.Combine(directory, method, "map_00002.png")));
        }
        using var sheet = SkiaSharp.SKBitmap.Decode(Path.Combine(directory, "comparison.png"));
        Assert.True(sheet.Width > 4 * 112 && sheet.Height > 3 * 112);
    }

    [Fact]
    public void Attribute_runs_blur_ig_and_guided_ig_with_their_options_and_records_them()
    {
        var directory = TestData.TemporaryDirectory();

        var exit = SaliencyApp.Run(new[] { "attribute", "--images", "fashion-mnist:test:0-1", "--method", "blur-ig,guided-ig", "--path-steps", "12",
            "--max-sigma", "4", "--grad-step", "0.05", "--baseline", "white", "--fraction", "0.5", "--max-dist", "0.1", "--anchors", "2",
            "--out", directory, "--threads", "2" });

        Assert.Equal(0, exit);
        using var blur = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "blur-ig", "attributions.json")));
        using var guided = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "guided-ig", "attributions.json")));
        string Parameter(JsonDocument report, string name) => report.RootElement.GetProperty("parameters").GetProperty(name).GetString()!;
        Assert.Equal(("4", "12", "0.05"), (Parameter(blur, "max_sigma"), Parameter(blur, "steps"), Parameter(blur, "grad_step")));
        Assert.Equal(("white", "12", "0.5", "0.1", "2"),
            (Parameter(guided, "baseline"), Parameter(guided, "steps"), Parameter(guided, "fraction"), Parameter(guided, "max_dist"), Parameter(guided, "anchors")));
        Assert.All(blur.RootElement.GetProperty("results").EnumerateArray(), r => Assert.Equal(12, r.GetProperty("steps").GetInt32()));
        Assert.All(guided.RootElement.GetProperty("results").EnumerateArray(), r => Assert.Equal(12, r.GetProperty("steps").GetInt32()));
    }

    [Fact]
    public void Attribute_runs_occlusion_and_rise_with_their_options_and_records_them()
    {
        var directory = TestData.TemporaryDirectory();

        var exit = SaliencyApp.Run(new[] { "attribute", "--images", "fashion-mnist:test:0-1", "--method", "occlusion,rise", "--window", "7",
            "--masks", "40", "--grid", "4", "--probability", "0.25", "--fill", "blur:2:7", "--out", directory, "--threads", "2" });

        Assert.Equal(0, exit);
        using var occlusion = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "occlusion", "attributions.json")));
        using var rise = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "rise", "attributions.json")));
        string Parameter(JsonDocument report, string name) => report.RootElement.GetProperty("parameters").GetProperty(name).GetString()!;
        Assert.Equal(("7", "3", "blur:2:7"), (Parameter(occlusion, "window"), Parameter(occlusion, "stride"), Parameter(occlusion, "fill")));
        Assert.Equal(("40", "4", "0.25", "blur:2:7"), (Parameter(rise, "masks"), Parameter(rise, "grid"), Parameter(rise, "probability"), Parameter(rise, "fill")));
        // 7-pixel windows every 3 pixels on 28: starts 0, 3, …, 21, so 8 × 8 positions.
        Assert.All(occlusion.RootElement.GetProperty("results").EnumerateArray(), r => Assert.Equal(64, r.GetProperty("steps").GetInt32()));
        Assert.All(rise.RootElement.GetProperty("results").EnumerateArray(), r => Assert.Equal(40, r.GetProperty("steps").GetInt32()));
    }

    [Theory]
    [InlineData("--method", "lime")]
    [InlineData("--metrics", "sufficiency")]
    [InlineData("--deletion-substrate", "grey")]
    [InlineData("--steps", "0")]
    [InlineData("--steps", "many")]
    [InlineData("--baseline", "purple")]
    [InlineData("--rule", "simpson")]
    [InlineData("--images", "fashion-mnist:test:5-1")]
    [InlineData("--model", "/nonexistent.pt")]
    public void Bad_options_exit_with_code_2(string option, string value)
    {
        Assert.Equal(2, SaliencyApp.Run(new[] { "attribute", "--images", "fashion-mnist:test:0-1", option, value }));
    }

    [Fact]
    public void Npy_files_round_trip()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "a.npy");
        var values = Enumerable.Range(0, 24).Select(i => i * 0.5f - 3).ToArray();
        NpyFile.Write(path, values, new[] { 2, 3, 4 });
        var (read, shape) = NpyFile.Read(path);
        Assert.Equal(values, read);
        Assert.Equal(new[] { 2, 3, 4 }, shape);
        Assert.Equal(0, (new FileInfo(path).Length - values.Length * 4) % 64);
    }
}
