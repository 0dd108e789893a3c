using System.ComponentModel;
using System.Globalization;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Cli.ModelOptions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

public sealed class BenchDeviceSettings : BenchSettings
{
    [CommandOption("--device <DEVICE>"), Description("The device compared with the CPU: cuda, cuda:N, auto or cpu (a self-check).")]
    [DefaultValue("cuda")]
    public string Device { get; init; } = "cuda";

    [CommandOption("--images <N>"), Description("Fashion-MNIST test images attributed on each device.")]
    [DefaultValue(64)]
    public int Images { get; init; } = 64;

    [CommandOption("--steps <N>"), Description("Integrated Gradients steps (black baseline, Gauss-Legendre).")]
    [DefaultValue(64)]
    public int Steps { get; init; } = 64;

    [CommandOption("--batch <N>"), Description("Interpolated images per forward/backward pass.")]
    [DefaultValue(64)]
    public int Batch { get; init; } = 64;

    [CommandOption("--repetitions <N>"), Description("Timed runs per device after one warm-up; the median counts.")]
    [DefaultValue(3)]
    public int Repetitions { get; init; } = 3;

    [CommandOption("--tolerance <ABS>"), Description("Largest absolute difference between the maps that counts as agreement.")]
    [DefaultValue(1e-4)]
    public double Tolerance { get; init; } = 1e-4;
}

/// <summary>
/// Checks that a device computes the CPU's maps: IG on Fashion-MNIST test images on both, in one process, with the
/// largest difference between the maps and each device's throughput. Exits 1 when the maps disagree.
/// </summary>
public sealed class BenchDeviceCommand : Command<BenchDeviceSettings>
{
    public override int Execute(CommandContext context, BenchDeviceSettings settings, CancellationToken cancellation)
    {
        var device = ComputeDevice.Resolve(settings.Device);
        if (settings.Images < 1 || settings.Steps < 1 || settings.Batch < 1 || settings.Repetitions < 1)
            throw new ArgumentException("--images, --steps, --batch and --repetitions must be at least 1");
        if (device.IsCuda)
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"torch.cuda: available, {TorchSharp.torch.cuda.device_count()} device(s) visible; comparing {device} with cpu");
        var threads = TorchThreads.Apply(settings.Threads);
        var images = FashionMnist.Load("test").Slice(0, settings.Images);

        var agreement = DeviceAgreement.Compare(device, images, settings.Steps, settings.Batch, settings.Repetitions);
        var difference = agreement.MaxAbsoluteDifference.ToString("G3", CultureInfo.InvariantCulture);
        var table = new BenchmarkTable($"IG on fashion-cnn, {agreement.Images} images, {agreement.Steps} steps: cpu and {device}",
            "measurement", "cpu", device.ToString());
        table.Add("images/s", agreement.CpuImagesPerSecond, agreement.DeviceImagesPerSecond);
        table.Add($"speed-up over cpu ({threads} threads)", 1.0, agreement.DeviceImagesPerSecond / agreement.CpuImagesPerSecond);
        table.Add("max |map difference| vs cpu", "0", difference);
        table.Print();
        table.Write(settings.Out, "device", $"{Machine.Describe(threads)}, device {device}");

        var agrees = agreement.MaxAbsoluteDifference <= settings.Tolerance;
        var tolerance = settings.Tolerance.ToString("G3", CultureInfo.InvariantCulture);
        if (agrees)
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"maps on {device} agree with cpu: max |difference| {difference} <= {tolerance}");
        else
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]maps on {device} differ from cpu: max |difference| {difference} > {tolerance}[/]");
        return agrees ? 0 : 1;
    }
}
