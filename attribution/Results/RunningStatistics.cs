namespace Saliency.Attribution.Results;

/// <summary>
/// Count, mean and sample variance of a stream of values, updated one value at a time by Welford's
/// method and combined across partial streams by Chan et al.'s pairwise formula, so that shards can be
/// summarised apart and merged in any order without keeping their values. Values are assumed finite.
/// </summary>
public sealed class RunningStatistics
{
    double sumOfSquaredDeviations;

    public long Count { get; private set; }
    public double Mean { get; private set; }

    /// <summary>The sample variance (n − 1 in the denominator); null below two values.</summary>
    public double? Variance => Count < 2 ? null : sumOfSquaredDeviations / (Count - 1);

    public double? StandardDeviation => Variance is { } variance ? Math.Sqrt(variance) : null;

    public void Add(double value)
    {
        Count++;
        var deviation = value - Mean;
        Mean += deviation / Count;
        sumOfSquaredDeviations += deviation * (value - Mean);
    }

    public void Merge(RunningStatistics other)
    {
        if (other.Count == 0) return;
        if (Count == 0)
        {
            (Count, Mean, sumOfSquaredDeviations) = (other.Count, other.Mean, other.sumOfSquaredDeviations);
            return;
        }
        var count = Count + other.Count;
        var difference = other.Mean - Mean;
        Mean += difference * other.Count / count;
        sumOfSquaredDeviations += other.sumOfSquaredDeviations + difference * difference * Count * other.Count / count;
        Count = count;
    }

    /// <summary>The two-sided 95% interval of the mean, mean ± t(0.975, n − 1)·s/√n; null below two values.</summary>
    public (double Low, double High)? ConfidenceInterval95() => ConfidenceInterval(0.95);

    /// <summary>The two-sided interval of the mean at <paramref name="confidence"/>, mean ± t(1 − (1 − confidence)/2, n − 1)·s/√n; null below two values.</summary>
    public (double Low, double High)? ConfidenceInterval(double confidence)
    {
        if (StandardDeviation is not { } std) return null;
        var halfWidth = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, Count - 1, 1 - (1 - confidence) / 2) * std / Math.Sqrt(Count);
        return (Mean - halfWidth, Mean + halfWidth);
    }

    /// <summary>A snapshot; null when no value was added.</summary>
    public MetricStatistics? Snapshot()
    {
        if (Count == 0) return null;
        var interval = ConfidenceInterval95();
        return new MetricStatistics(Mean, StandardDeviation, interval?.Low, interval?.High, Count);
    }
}

/// <summary>
/// What is known of one metric over a trial's images: the mean, the sample standard deviation and the
/// 95% interval of the mean (null below two images, where they are undefined), and the image count.
/// </summary>
public sealed record MetricStatistics(double Mean, double? Std, double? Low, double? High, long Count);
