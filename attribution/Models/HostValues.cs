using TorchSharp;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models;

/// <summary>Reads tensors into .NET arrays from whatever device they are on.</summary>
public static class HostValues
{
    /// <summary>The values of a contiguous tensor, copied to the CPU first when they live on a GPU.</summary>
    public static T[] ToHostArray<T>(this Tensor tensor) where T : unmanaged
    {
        if (tensor.device_type == DeviceType.CPU) return tensor.data<T>().ToArray();
        using var host = tensor.cpu();
        return host.data<T>().ToArray();
    }
}
