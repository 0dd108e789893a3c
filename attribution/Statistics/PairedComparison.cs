namespace Saliency.Attribution.Statistics;

/// <summary>
/// One trial against the best under one metric, on the images both measured: the mean of the per-image differences
/// (trial − best), its 95% t interval, the Wilcoxon signed-rank p-value and that p-value Holm-corrected over every trial
/// compared with the best. A trial is tied with the best when the corrected p-value is at least α: the evidence does
/// not say it is worse. The best is tied with itself.
/// </summary>
public sealed record PairedDifference(int Trial, int Best, int Images, double Mean, double? Low, double? High, double PValue, double HolmP, bool Tied);

/// <summary>Every trial of a sweep against the best one under one metric.</summary>
public sealed record MetricComparison(string Metric, bool HigherIsBetter, int Best, IReadOnlyList<PairedDifference> Differences)
{
    public const double Alpha = 0.05;

    public IReadOnlyList<int> Tied => Differences.Where(d => d.Tied).Select(d => d.Trial).ToList();

    public PairedDifference? Of(int trial) => Differences.FirstOrDefault(d => d.Trial == trial);

    /// <param name="values">
    /// Per trial, its value on each image, by image column (<see cref="PerImageValues"/>); NaN where it has none. Every
    /// trial sees the same images and the same random draws, so the comparison is paired.
    /// </param>
    /// <returns>Null when no trial has a value.</returns>
    public static MetricComparison? Compare(string metric, bool higherIsBetter, IReadOnlyDictionary<int, double[]> values)
    {
        var means = values
            .Select(pair => (Trial: pair.Key, Mean: PerImageValues.Mean(pair.Value)))
            .Where(t => !double.IsNaN(t.Mean))
            .ToList();
        if (means.Count == 0) return null;
        var best = means.OrderBy(t => higherIsBetter ? -t.Mean : t.Mean).ThenBy(t => t.Trial).First().Trial;

        var raw = means.OrderBy(t => t.Trial).Select(t => Difference(t.Trial, best, values[t.Trial], values[best])).ToList();
        var others = raw.Where(d => d.Trial != best).ToList();
        var adjusted = Holm.Adjust(others.Select(d => d.PValue).ToList());
        var corrected = others.Select((d, i) => d with { HolmP = adjusted[i], Tied = adjusted[i] >= Alpha }).ToDictionary(d => d.Trial);
        return new MetricComparison(metric, higherIsBetter, best,
            raw.Select(d => d.Trial == best ? d with { HolmP = 1, Tied = true } : corrected[d.Trial]).ToList());
    }

    static PairedDifference Difference(int trial, int best, double[] values, double[] bestValues)
    {
        var differences = new List<double>();
        for (var i = 0; i < Math.Min(values.Length, bestValues.Length); i++)
            if (!double.IsNaN(values[i]) && !double.IsNaN(bestValues[i])) differences.Add(values[i] - bestValues[i]);
        if (differences.Count == 0) return new PairedDifference(trial, best, 0, double.NaN, null, null, double.NaN, double.NaN, true);
        var statistics = new Results.RunningStatistics();
        foreach (var difference in differences) statistics.Add(difference);
        var snapshot = statistics.Snapshot()!;
        var p = differences.Count < 2 ? 1 : WilcoxonSignedRank.PValue(differences);
        return new PairedDifference(trial, best, differences.Count, snapshot.Mean, snapshot.Low, snapshot.High, p, 1, true);
    }
}
