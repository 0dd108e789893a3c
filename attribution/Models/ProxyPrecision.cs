using System.Diagnostics;
using Saliency.Attribution.Data;
using static TorchSharp.torch;

namespace Saliency.Attribution.Models;

/// <summary>
/// Whether a model's bfloat16 copy should score most of the points of deletion and insertion curves to a tolerance
/// (<see cref="Metrics.ProxiedCurve"/>): only where it runs forward-only passes clearly faster than the model itself.
/// That depends on the hardware (a CPU with AVX-512 BF16 or AMX, a GPU's tensor cores), not on the model alone, so it is
/// measured: a few passes of each at the metrics' batch, alternating, the fastest of each compared. The error bound holds
/// whatever the copy's precision; the choice only sets the cost.
/// </summary>
public static class ProxyPrecision
{
    /// <summary>
    /// How much faster the copy must run to be used. Through it a curve at 0.005 took about 108 of the copy's points and 7
    /// of the model's where the model alone took 102 (replayed on 48 photographs), so it pays from about 1.15; the margin
    /// is for the measurement's noise.
    /// </summary>
    public const double MinimumSpeedup = 1.3;

    /// <summary>Images per timed pass, at most: enough to fill the kernels, few enough to take about a second in all.</summary>
    const int MeasuredBatch = 16;

    /// <summary>Timed passes of each, after one to warm each.</summary>
    const int Rounds = 2;

    /// <summary>
    /// The model's bfloat16 copy where it ran <see cref="MinimumSpeedup"/> times as fast as the model on images of
    /// <paramref name="shape"/>; null where it did not, or where the copy cannot run in bfloat16.
    /// </summary>
    /// <param name="copy">A fresh copy of the model, which the proxy becomes (disposed when not chosen); its errors are not caught.</param>
    public static ImageClassifier? Choose(ImageClassifier model, ImageShape shape, int batch, Func<ImageClassifier> copy) =>
        Measure(model, shape, batch, copy) is { Speedup: >= MinimumSpeedup, Copy: var chosen } ? chosen : null;

    /// <summary>The copy in bfloat16 and how many times as fast it ran; the copy is disposed when the speed-up is below the minimum or unknown.</summary>
    public static (ImageClassifier? Copy, double Speedup) Measure(ImageClassifier model, ImageShape shape, int batch, Func<ImageClassifier> copy)
    {
        var reduced = copy();
        try
        {
            reduced.To(ScalarType.BFloat16);
            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            var pixels = rand(shape.WithBatch(Math.Clamp(batch, 1, MeasuredBatch)), device: model.Device);
            var (full, fast) = (double.MaxValue, double.MaxValue);
            for (var round = 0; round <= Rounds; round++)
            {
                var (a, b) = (Seconds(model, pixels), Seconds(reduced, pixels));
                if (round == 0) continue;
                (full, fast) = (Math.Min(full, a), Math.Min(fast, b));
            }
            var speedup = full / fast;
            if (speedup >= MinimumSpeedup) return (reduced, speedup);
            reduced.Dispose();
            return (null, speedup);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A network whose operators have no bfloat16 kernels simply has no proxy.
            reduced.Dispose();
            return (null, double.NaN);
        }
    }

    static double Seconds(ImageClassifier model, Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        model.Logits(model.Input(pixels)).to(ScalarType.Float32).sum().item<float>();
        return clock.Elapsed.TotalSeconds;
    }
}
