using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Saliency.Attribution.Data;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models;

/// <summary>
/// What one image costs in native memory during a forward and input-gradient backward pass of a model,
/// measured once per model and image shape, and the batch a memory budget therefore holds. The cost is
/// the growth of libc's allocated bytes from a pass of 4 images to a pass of 20, divided by 16: fixed
/// costs (weights, oneDNN's reordered copies of them) cancel out.
/// </summary>
public static class ActivationMemory
{
    public const int MaxBatch = 4096;
    /// <summary>The batch on a device whose allocations libc does not see (CUDA), where no probe is possible.</summary>
    public const int UnmeasuredBatch = 64;
    const int SmallProbe = 4, LargeProbe = 20;

    static readonly ConditionalWeakTable<ImageClassifier, Dictionary<ImageShape, long>> Measured = new();
    static readonly Lazy<bool> Measurable = new(() => InUseBytes().HasValue);

    /// <summary>
    /// Images per pass that keep a pass's activations within <paramref name="budgetBytes"/>, between 1 and
    /// <see cref="MaxBatch"/>; <see cref="UnmeasuredBatch"/> on a device other than the CPU.
    /// </summary>
    public static int BatchFor(ImageClassifier model, ImageShape shape, long budgetBytes)
    {
        if (budgetBytes < 1) throw new ArgumentOutOfRangeException(nameof(budgetBytes), $"the batch memory budget must be positive, got {budgetBytes} bytes");
        if (model.ComputeDevice.IsCuda || !Measurable.Value) return UnmeasuredBatch;
        return (int)Math.Clamp(budgetBytes / BytesPerImage(model, shape), 1, MaxBatch);
    }

    /// <summary>Native bytes one image adds to a forward and backward pass on the CPU.</summary>
    public static long BytesPerImage(ImageClassifier model, ImageShape shape)
    {
        var byShape = Measured.GetOrCreateValue(model);
        lock (byShape)
        {
            if (byShape.TryGetValue(shape, out var bytes)) return bytes;
            PassBytes(model, shape, SmallProbe); // the first pass allocates what every later one reuses
            // Other threads allocate and free meanwhile: the median of three differences ignores one disturbed pair.
            var growth = Enumerable.Range(0, 3).Select(_ => PassBytes(model, shape, LargeProbe) - PassBytes(model, shape, SmallProbe)).Order().ElementAt(1);
            return byShape[shape] = Math.Max(1, growth / (LargeProbe - SmallProbe));
        }
    }

    /// <summary>
    /// Native bytes a forward and input-gradient backward pass of <paramref name="images"/> images holds: the larger of
    /// libc's allocated bytes after the forward and after the backward pass, above those before it. CPU only.
    /// </summary>
    public static long PassBytes(ImageClassifier model, ImageShape shape, int images)
    {
        if (!Measurable.Value) throw new PlatformNotSupportedException("measuring a pass's memory needs glibc's mallinfo2");
        using var scope = NewDisposeScope();
        var before = InUseBytes()!.Value;
        var pixels = model.Input(full(new long[] { images, shape.Channels, shape.Height, shape.Width }, 0.5f)).requires_grad_(true);
        var score = model.Logits(pixels).select(1, 0).sum();
        var afterForward = InUseBytes()!.Value;
        using var gradient = autograd.grad(new[] { score }, new[] { pixels })[0];
        var afterBackward = InUseBytes()!.Value;
        return Math.Max(afterForward, afterBackward) - before;
    }

    /// <summary>Bytes libc has handed out and not taken back (heap and mapped blocks); null without glibc's <c>mallinfo2</c>.</summary>
    static long? InUseBytes()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var info = mallinfo2();
            return (long)(info.uordblks + info.hblkhd);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    // The fields keep glibc's names for struct mallinfo2, so the layout can be checked against its header.
    [StructLayout(LayoutKind.Sequential)]
    struct MallocInfo
    {
#pragma warning disable IDE1006
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
#pragma warning restore IDE1006
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    static extern MallocInfo mallinfo2();
}
