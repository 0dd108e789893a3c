using Saliency.Attribution.Models;
using Saliency.Cli.Benchmarks;
using TorchSharp;

namespace Saliency.Cli.Tests;

/// <summary><c>saliency bench device</c> and <c>--device</c> on the commands that run a model.</summary>
[Trait("Lane", "Unit")]
public class DeviceCheckTests
{
    [Fact]
    public void Cpu_against_cpu_agrees_exactly()
    {
        var agreement = DeviceAgreement.Compare(ComputeDevice.Cpu, TestData.FirstTestImages(4), steps: 8, batch: 16, repetitions: 1);

        Assert.Equal(0, agreement.MaxAbsoluteDifference);
        Assert.Equal("cpu", agreement.Device);
        Assert.True(agreement.CpuImagesPerSecond > 0 && agreement.DeviceImagesPerSecond > 0);
    }

    [Fact]
    public void Bench_device_on_the_cpu_runs_and_reports_no_difference()
    {
        var directory = TestData.TemporaryDirectory();

        var exit = SaliencyApp.Run(["bench", "device", "--device", "cpu", "--images", "4", "--steps", "8", "--repetitions", "1", "--threads", "2", "--out", directory]);

        Assert.Equal(0, exit);
        var rows = File.ReadAllLines(Path.Combine(directory, "device.csv"));
        Assert.Equal("max |map difference| vs cpu,0,0", rows[^1]);
        Assert.StartsWith("images/s,", rows[1]);
    }

    [Fact]
    public void Attribute_on_an_explicit_cpu_device_writes_the_same_maps_as_by_default()
    {
        var (first, second) = (TestData.TemporaryDirectory(), TestData.TemporaryDirectory());
        string[] options = ["attribute", "--images", "fashion-mnist:test:0-1", "--steps", "8", "--threads", "2"];

        Assert.Equal(0, SaliencyApp.Run([.. options, "--out", first]));
        Assert.Equal(0, SaliencyApp.Run([.. options, "--device", "cpu", "--out", second]));

        var maps = Directory.GetFiles(first, "*.npy");
        Assert.Equal(2, maps.Length);
        Assert.Equal(maps.Select(Path.GetFileName).Order(), Directory.GetFiles(second, "*.npy").Select(Path.GetFileName).Order());
        foreach (var map in maps)
            Assert.Equal(File.ReadAllBytes(map), File.ReadAllBytes(Path.Combine(second, Path.GetFileName(map))));
    }

    [Theory]
    [InlineData("attribute")]
    [InlineData("bench", "device")]
    [InlineData("bench", "ig")]
    public void A_missing_or_unknown_device_exits_with_code_2(params string[] command)
    {
        var missing = torch.cuda.is_available() ? "cuda:64" : "cuda";

        Assert.Equal(2, SaliencyApp.Run([.. command, "--device", missing, "--threads", "2"]));
        Assert.Equal(2, SaliencyApp.Run([.. command, "--device", "tpu", "--threads", "2"]));
    }
}
