using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Cli.Benchmarks.Commands;

namespace Saliency.Cli.Benchmarks;

/// <summary>
/// Captum's Integrated Gradients on the same network, images and settings as <c>bench ig</c>, run by
/// scripts/captum_ig_bench.py in Debian's Python: each call is one process, one warm-up and one timed run.
/// </summary>
public sealed class CaptumReference
{
    readonly BenchIgSettings settings;
    readonly string checkout, script;
    readonly string[] modelArguments;

    CaptumReference(BenchIgSettings settings, string checkout, string script, string[] modelArguments) =>
        (this.settings, this.checkout, this.script, this.modelArguments) = (settings, checkout, script, modelArguments);

    /// <summary>
    /// The reference for this run; null when SALIENCY_CAPTUM names no checkout, Python or the script is missing,
    /// or the model is neither fashion-cnn nor a TorchScript file over a folder of images.
    /// </summary>
    public static CaptumReference? For(BenchIgSettings settings, string data, bool fashion, bool torchScript)
    {
        var checkout = Environment.GetEnvironmentVariable("SALIENCY_CAPTUM");
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "captum_ig_bench.py");
        if (string.IsNullOrEmpty(checkout) || !File.Exists("/usr/bin/python3") || !File.Exists(script)) return null;
        if (fashion) return new(settings, checkout, script, ["--weights", ModelLoader.BuiltInWeightsPath]);
        if (torchScript && data.StartsWith("folder:", StringComparison.Ordinal))
            return new(settings, checkout, script, ["--torchscript", settings.Model, "--folder", ImageSelection.Parse(data).Location]);
        return null;
    }

    /// <summary>Captum's images per second over <paramref name="images"/> images at <paramref name="steps"/> steps; null when the script fails.</summary>
    public double? ImagesPerSecond(int steps, int images)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true };
        string[] arguments =
        [
            script, "--captum", checkout, "--images", Text(images), "--steps", Text(steps), "--batch", Text(settings.Batch),
            "--threads", Text(settings.Threads ?? Environment.ProcessorCount), "--repetitions", "1", .. modelArguments,
        ];
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) return null;
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        return json.RootElement.GetProperty("images_per_second").GetDouble();
    }

    static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
