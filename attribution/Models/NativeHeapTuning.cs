using System.Runtime.InteropServices;

namespace Saliency.Attribution.Models;

/// <summary>
/// Keeps glibc from handing tensor-sized blocks back to the kernel after every pass. By default each
/// activation of a few MiB is mmapped and unmapped per forward or backward pass, and in a .NET process
/// the kernel then spends a third of the time clearing and faulting in fresh pages (measured with perf
/// on fashion-cnn: raw forward+backward ran 1.6× faster with the blocks kept). Kept blocks are reused by
/// the next pass of the same shape, so resident memory does not grow with the number of passes. The mmap
/// threshold clears the largest activation of a default pass at 224 × 224 (the first convolution's output,
/// 103 MB at batch 32, 206 MB at 64): at 64 MiB those were still mapped afresh every pass, and IG-32 on
/// photos-planted ran 13% slower for it (docs/performance.md).
/// </summary>
public static class NativeHeapTuning
{
    /// <summary>Blocks up to this size come from the heap instead of their own mapping.</summary>
    public const int MmapThresholdBytes = 256 << 20;
    /// <summary>Free memory at the top of a heap is returned to the kernel only past this size.</summary>
    public const int TrimThresholdBytes = 1 << 30;

    /// <summary>Set to <c>default</c>, glibc's own thresholds stay: for comparing, or for a libc that misbehaves with these.</summary>
    public const string OptOutVariable = "SALIENCY_NATIVE_HEAP";

    const int MallocOptionTrimThreshold = -1, MallocOptionMmapThreshold = -3;
    static readonly Lazy<bool> Applied = new(ApplyOnce);

    /// <summary>
    /// Sets the thresholds once per process; true when they are in force. A user who sets either threshold
    /// (<c>GLIBC_TUNABLES</c>, <c>MALLOC_MMAP_THRESHOLD_</c>, <c>MALLOC_TRIM_THRESHOLD_</c>) or <c>SALIENCY_NATIVE_HEAP=default</c>
    /// is left alone, as is a libc without <c>mallopt</c>.
    /// </summary>
    public static bool Apply() => Applied.Value;

    static bool ApplyOnce()
    {
        if (!OperatingSystem.IsLinux() || UserTunesMalloc()) return false;
        try
        {
            return mallopt(MallocOptionMmapThreshold, MmapThresholdBytes) == 1
                & mallopt(MallocOptionTrimThreshold, TrimThresholdBytes) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    static bool UserTunesMalloc()
    {
        var tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "";
        return Environment.GetEnvironmentVariable(OptOutVariable) == "default"
            || tunables.Contains("glibc.malloc.mmap_threshold", StringComparison.Ordinal)
            || tunables.Contains("glibc.malloc.trim_threshold", StringComparison.Ordinal)
            || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
            || Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null;
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int option, int value);
}
