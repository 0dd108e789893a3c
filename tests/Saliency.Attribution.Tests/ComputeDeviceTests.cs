using Saliency.Attribution.Models;
using TorchSharp;

namespace Saliency.Attribution.Tests;

public class ComputeDeviceTests
{
    [Theory]
    [InlineData("cpu", DeviceKind.Cpu, null, "cpu")]
    [InlineData(" CPU ", DeviceKind.Cpu, null, "cpu")]
    [InlineData("cuda", DeviceKind.Cuda, null, "cuda")]
    [InlineData("cuda:0", DeviceKind.Cuda, 0, "cuda:0")]
    [InlineData("cuda:3", DeviceKind.Cuda, 3, "cuda:3")]
    [InlineData("auto", DeviceKind.Auto, null, "auto")]
    public void Each_written_form_parses_to_its_device(string text, DeviceKind kind, int? index, string written)
    {
        var device = ComputeDevice.Parse(text);

        Assert.Equal(kind, device.Kind);
        Assert.Equal(index, device.Index);
        Assert.Equal(written, device.ToString());
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("tpu")]
    [InlineData("")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:one")]
    [InlineData("cpu:0")]
    public void An_unknown_device_is_refused_naming_it_and_the_known_forms(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => ComputeDevice.Parse(text));

        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains("cpu, cuda, cuda:N, auto", error.Message);
    }

    [Fact]
    public void Cpu_resolves_to_the_torch_cpu_device()
    {
        var device = ComputeDevice.Resolve("cpu");

        Assert.Equal(ComputeDevice.Cpu, device);
        Assert.Equal(DeviceType.CPU, device.Torch.type);
    }

    [Fact]
    public void Auto_resolves_to_the_first_gpu_when_cuda_is_available_and_to_the_cpu_otherwise()
    {
        var expected = torch.cuda.is_available() ? "cuda:0" : "cpu";

        Assert.Equal(expected, ComputeDevice.Resolve("auto").ToString());
    }

    [Fact]
    public void Cuda_without_a_cuda_backend_fails_naming_the_value_and_the_remedy()
    {
        if (torch.cuda.is_available())
        {
            Assert.Equal("cuda:0", ComputeDevice.Resolve("cuda").ToString());
            return;
        }

        var error = Assert.Throws<ComputeDeviceUnavailableException>(() => ComputeDevice.Resolve("cuda"));

        Assert.Contains("device 'cuda' requested", error.Message);
        Assert.Contains(ComputeDevice.TorchBuild == "cpu" ? "rebuild with -p:SaliencyTorch=cuda" : "nvidia-smi", error.Message);
    }

    [Fact]
    public void A_cuda_device_beyond_those_present_is_refused()
    {
        Assert.Throws<ComputeDeviceUnavailableException>(() => ComputeDevice.Resolve("cuda:64"));
    }

    [Fact]
    public void An_unresolved_auto_device_has_no_torch_device()
    {
        Assert.Throws<InvalidOperationException>(() => ComputeDevice.Parse("auto").Torch);
    }
}
