using System.Globalization;
using Saliency.Attribution.Data;

namespace Saliency.Attribution.Models;

/// <summary>
/// How many images a method's forward and backward passes, and the metrics' forward passes, take at once: a size the user
/// gave, as many as a memory budget holds (<c>batch: auto</c>, <see cref="ActivationMemory"/>), or, when neither is given,
/// the default for the input's size (<see cref="DefaultFor"/>). Results do not depend on it; speed and memory do.
/// </summary>
public sealed record PassBatch
{
    PassBatch(int? size, bool fitsMemory) => (Size, FitsMemory) = (size, fitsMemory);

    /// <summary>The most images a default pass takes: small inputs gain nothing from more on the CPU.</summary>
    public const int LargestDefault = 64;

    /// <summary>
    /// Input pixels a default pass holds, 32 images of 224 × 224. On the CPU a pass past the caches runs slower per image:
    /// IG on a ResNet-18 at 224 × 224 ran about 10% slower at batch 64 than at 32 (<c>bench ig --batches</c>,
    /// docs/performance.md); bounding the pixels bounds a pass's activations the same way for any input size.
    /// </summary>
    public const long DefaultPixels = 32L * 224 * 224;

    /// <summary>The size given, when one was.</summary>
    public int? Size { get; }

    /// <summary>Whether the batch is as many images as the worker's memory budget holds (<c>batch: auto</c>).</summary>
    public bool FitsMemory { get; }

    /// <summary>No size given: <see cref="DefaultFor"/> the input's size.</summary>
    public static PassBatch Default { get; } = new(null, false);

    /// <summary><c>batch: auto</c>: as many images as the memory budget holds.</summary>
    public static PassBatch Auto { get; } = new(null, true);

    public static PassBatch Of(int size) => size >= 1 ? new(size, false)
        : throw new ArgumentOutOfRangeException(nameof(size), $"a batch must hold at least 1 image, got {size}");

    /// <summary>
    /// The default for images of <paramref name="shape"/>: the largest power of two up to <see cref="LargestDefault"/> whose
    /// pass holds at most <see cref="DefaultPixels"/> pixels, and at least 1. Fixed by the size alone, so choosing it costs
    /// no measurement at start-up: 64 at 28 × 28, 32 at 224 × 224, 8 at 448 × 448.
    /// </summary>
    public static int DefaultFor(ImageShape shape)
    {
        var pixels = Math.Max(1L, (long)shape.Height * shape.Width);
        var batch = LargestDefault;
        while (batch > 1 && batch * pixels > DefaultPixels) batch /= 2;
        return batch;
    }

    /// <summary>The images per pass for <paramref name="model"/> on images of <paramref name="shape"/>.</summary>
    /// <param name="memoryBudgetBytes">The activation memory a pass may take, for <see cref="Auto"/>.</param>
    public int For(ImageClassifier model, ImageShape shape, long memoryBudgetBytes) =>
        Size ?? (FitsMemory ? ActivationMemory.BatchFor(model, shape, memoryBudgetBytes) : DefaultFor(shape));

    public override string ToString() => Size?.ToString(CultureInfo.InvariantCulture) ?? (FitsMemory ? "auto" : "default");
}
