using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>
/// Everything a sweep reports of one trial, as plain data: images and shards counted, compute seconds
/// summed over shards, images per second of wall-clock time, statistics per metric name (a metric
/// measured on no image is absent), why the trial failed, if it did, and the seconds its method took to
/// attribute the images (without the metrics and sanity checks that the compute seconds include). Those seconds
/// include what a worker spends warming up on the first work items it computes for a model (first passes, kernel and
/// memory set-up): <see cref="MedianSecondsPerImage"/>, the median over work items of method seconds per image, does
/// not, so trials computed first are not made to look dearer than the ones after them.
/// </summary>
public sealed record TrialSummary(
    Trial Trial,
    int Images,
    int Shards,
    double Seconds,
    double ImagesPerSecond,
    IReadOnlyDictionary<string, MetricStatistics> Metrics,
    string? Failure = null,
    double? MethodSeconds = null,
    double? MedianSecondsPerImage = null)
{
    public MetricStatistics? Metric(string name) => Metrics.TryGetValue(name, out var statistics) ? statistics : null;
}
