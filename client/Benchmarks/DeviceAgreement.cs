using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;

namespace Saliency.Cli.Benchmarks;

/// <summary>
/// Integrated Gradients on the same images, with the same weights, on the CPU and on another device: the largest
/// difference between their maps, and each one's images per second.
/// </summary>
public sealed record DeviceAgreement(string Device, int Images, int Steps, double MaxAbsoluteDifference,
    double CpuImagesPerSecond, double DeviceImagesPerSecond)
{
    /// <param name="device">A resolved device.</param>
    public static DeviceAgreement Compare(ComputeDevice device, ImageSet images, int steps, int batch, int repetitions)
    {
        using var cpuModel = ModelLoader.Load(FashionCnn.BuiltInName);
        using var deviceModel = ModelLoader.Load(FashionCnn.BuiltInName, device: device);
        var method = new IntegratedGradients(new IntegratedGradientsOptions
        {
            Baseline = Baseline.Parse("black"),
            Steps = steps,
            InternalBatchSize = batch,
        });
        // Labels, not predictions, fix the targets: a near tie between two classes must not pick different classes per device.
        IReadOnlyList<ImageAttribution> onCpu = [], onDevice = [];
        var cpuSeconds = Measure.MedianSeconds(repetitions, () => onCpu = method.Attribute(cpuModel, images, Target.Label));
        var deviceSeconds = Measure.MedianSeconds(repetitions, () => onDevice = method.Attribute(deviceModel, images, Target.Label));
        return new DeviceAgreement(device.ToString(), images.Count, steps, LargestDifference(onCpu, onDevice),
            images.Count / cpuSeconds, images.Count / deviceSeconds);
    }

    static double LargestDifference(IReadOnlyList<ImageAttribution> first, IReadOnlyList<ImageAttribution> second)
    {
        var largest = 0.0;
        for (var i = 0; i < first.Count; i++)
            for (var j = 0; j < first[i].Map.Length; j++)
                largest = Math.Max(largest, Math.Abs((double)first[i].Map[j] - second[i].Map[j]));
        return largest;
    }
}
