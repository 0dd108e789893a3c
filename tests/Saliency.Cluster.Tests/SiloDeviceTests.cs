using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Saliency.Attribution.Models;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Hosting;
using Saliency.Grains.Workers;
using TorchSharp;

namespace Saliency.Cluster.Tests;

/// <summary>A silo's device: resolved when the silo is built, and a missing one stops the silo before it joins a cluster.</summary>
public sealed class SiloDeviceTests
{
    /// <summary>A CUDA device this machine lacks: any CUDA on a CPU-only build or machine, else one past those present.</summary>
    static string MissingCuda => torch.cuda.is_available() ? "cuda:64" : "cuda";

    [Fact]
    public void Saliency_silo_with_a_missing_cuda_device_exits_with_code_2_and_says_why_and_what_to_do()
    {
        var (exit, output) = RunSaliency("silo", "--device", MissingCuda, "--silo-port", "1", "--gateway-port", "2", "--runs", Path.GetTempPath());

        Assert.Equal(2, exit);
        Assert.Contains($"device '{MissingCuda}' requested", output);
        if (!torch.cuda.is_available())
            Assert.Contains(ComputeDevice.TorchBuild == "cpu" ? "rebuild with -p:SaliencyTorch=cuda on a machine with CUDA 12.8 drivers" : "nvidia-smi", output);
    }

    [Fact]
    public void The_device_in_configuration_is_checked_before_the_silo_is_built()
    {
        var error = Assert.Throws<ComputeDeviceUnavailableException>(() =>
            SaliencyHosting.BuildSilo(["--Saliency:Device", MissingCuda], null, ClusterEndpoints.OnFreePorts(), LogLevel.Error));

        Assert.Contains($"'{MissingCuda}'", error.Message);
    }

    [Fact]
    public void An_auto_device_is_resolved_for_the_workers_and_their_telemetry()
    {
        var expected = torch.cuda.is_available() ? "cuda:0" : "cpu";
        using var host = SaliencyHosting.BuildSilo([], o => { o.Device = "auto"; o.ArtifactRoot = Path.GetTempPath(); }, ClusterEndpoints.OnFreePorts(), LogLevel.Error);

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<SaliencySiloOptions>>().Value.Device);
        Assert.Equal(expected, host.Services.GetRequiredService<WorkerSweepCache>().Device);
    }

    [Fact]
    public void A_coordinator_only_silo_never_runs_a_model_so_its_device_is_only_checked_for_spelling()
    {
        using var host = SaliencyHosting.BuildSilo([], o => { o.Role = SiloRole.Coordinator; o.Device = MissingCuda; o.ArtifactRoot = Path.GetTempPath(); },
            ClusterEndpoints.OnFreePorts(), LogLevel.Error);

        Assert.Equal(MissingCuda, host.Services.GetRequiredService<IOptions<SaliencySiloOptions>>().Value.Device);
        Assert.Throws<ArgumentException>(() => SaliencyHosting.BuildSilo([], o => { o.Role = SiloRole.Coordinator; o.Device = "gpu"; },
            ClusterEndpoints.OnFreePorts(), LogLevel.Error));
    }

    /// <summary>Runs the saliency command line as its own process, as a user would.</summary>
    static (int Exit, string Output) RunSaliency(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "saliency.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("saliency did not exit within 60 s: a silo started instead of refusing its device");
        }
        // The console wraps long lines; the message is checked as one line.
        return (process.ExitCode, Regex.Replace(output.Result + errors.Result, @"\s+", " "));
    }
}
