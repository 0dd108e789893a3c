using System.Globalization;
using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models;

/// <summary>
/// Where models run and tensors live: the CPU or one CUDA device. Written as users write it,
/// <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c> (CUDA when this build and machine have it, else the CPU);
/// <see cref="Parse"/> checks the words, <see cref="Resolve()"/> checks the machine.
/// </summary>
public sealed record ComputeDevice
{
    public static IReadOnlyList<string> Forms { get; } = new[] { "cpu", "cuda", "cuda:N", "auto" };

    public static ComputeDevice Cpu { get; } = new(DeviceKind.Cpu, null);

    /// <summary>The build's TorchSharp backend (<c>cpu</c> or <c>cuda</c>), from <c>-p:SaliencyTorch</c>.</summary>
    public static string TorchBuild { get; } = typeof(ComputeDevice).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "SaliencyTorch")?.Value ?? "cpu";

    ComputeDevice(DeviceKind kind, int? index) => (Kind, Index) = (kind, index);

    public DeviceKind Kind { get; }
    /// <summary>The CUDA device's index; null for the CPU, for <c>auto</c> and for the current CUDA device (<c>cuda</c>).</summary>
    public int? Index { get; }

    public bool IsCuda => Kind == DeviceKind.Cuda;

    /// <summary>The torch device; only a resolved device has one.</summary>
    public Device Torch => Kind switch
    {
        DeviceKind.Cpu => CPU,
        DeviceKind.Cuda => new Device(DeviceType.CUDA, Index ?? 0),
        _ => throw new InvalidOperationException("device 'auto' has no torch device until it is resolved"),
    };

    public static ComputeDevice Parse(string? text)
    {
        var value = (text ?? "").Trim().ToLowerInvariant();
        return value switch
        {
            "cpu" => Cpu,
            "auto" => new ComputeDevice(DeviceKind.Auto, null),
            "cuda" => new ComputeDevice(DeviceKind.Cuda, null),
            _ when value.StartsWith("cuda:", StringComparison.Ordinal)
                   && int.TryParse(value[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var index) => new ComputeDevice(DeviceKind.Cuda, index),
            _ => throw new ArgumentException($"unknown device '{text}' (known: {string.Join(", ", Forms)})"),
        };
    }

    /// <summary>Parses and resolves in one step: the device work will run on, or a clear error.</summary>
    public static ComputeDevice Resolve(string? text) => Parse(text).Resolve();

    /// <summary>
    /// The concrete device: <c>auto</c> becomes <c>cuda:0</c> or <c>cpu</c>, <c>cuda</c> becomes <c>cuda:0</c>.
    /// Fails when CUDA is asked for and this build or machine cannot give it, so a worker never starts on the wrong device.
    /// </summary>
    /// <exception cref="ComputeDeviceUnavailableException">CUDA, or that CUDA device, is not available.</exception>
    public ComputeDevice Resolve()
    {
        if (Kind == DeviceKind.Cpu) return this;
        var available = torch.cuda.is_available();
        if (Kind == DeviceKind.Auto) return available ? UseCuda(0) : Cpu;
        if (!available) throw new ComputeDeviceUnavailableException(UnavailableMessage(ToString()));
        var count = torch.cuda.device_count();
        if (Index is { } index && index >= count)
            throw new ComputeDeviceUnavailableException($"device '{this}' requested but CUDA shows {count} device{(count == 1 ? "" : "s")} (cuda:0-cuda:{count - 1}); check CUDA_VISIBLE_DEVICES");
        return UseCuda(Index ?? 0);
    }

    static ComputeDevice UseCuda(int index)
    {
        // Maps are compared across devices and against CPU runs; TF32 would trade that agreement (about 1e-3 relative) for speed.
        torch.backends.cudnn.allow_tf32 = false;
        torch.backends.cuda.matmul.allow_tf32 = false;
        return new ComputeDevice(DeviceKind.Cuda, index);
    }

    static string UnavailableMessage(string requested) => TorchBuild == "cuda"
        ? $"device '{requested}' requested but TorchSharp's CUDA backend finds no usable GPU (built with TorchSharp-cuda-linux; check nvidia-smi, the CUDA 12.8 driver and CUDA_VISIBLE_DEVICES)"
        : $"device '{requested}' requested but TorchSharp's CUDA backend is not available in this build (built " +
            $"with TorchSharp-cpu; rebuild with -p:SaliencyTorch=cuda on a machine with CUDA 12.8 drivers)";

    public override string ToString() => Kind switch
    {
        DeviceKind.Cpu => "cpu",
        DeviceKind.Auto => "auto",
        _ => Index is { } index ? $"cuda:{index}" : "cuda",
    };
}

public enum DeviceKind { Cpu, Cuda, Auto }

/// <summary>A device was asked for that this build or machine does not have.</summary>
public sealed class ComputeDeviceUnavailableException(string message) : InvalidOperationException(message);
