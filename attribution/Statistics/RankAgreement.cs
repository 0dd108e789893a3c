namespace Saliency.Attribution.Statistics;

/// <summary>
/// How far two metrics agree on the order of a sweep's trials: Kendall's τ-b between the trials' means under each (each
/// turned so that higher is better, so τ = 1 is the same order and −1 the reverse), over the trials both measured, with a
/// 95% percentile interval from a paired bootstrap of the images (the same resampled images for every trial and metric).
/// </summary>
public sealed record RankAgreement(string First, string Second, int Trials, double Tau, double? Low, double? High)
{
    public const int Resamples = 200;
    /// <summary>Fewer trials than this in common give no order worth comparing.</summary>
    public const int MinimumTrials = 3;

    /// <summary>True when the interval reaches zero or below: the two metrics may order the trials unrelatedly, or reversed.</summary>
    public bool MayDisagree => Tau <= 0 || Low is not { } low || low <= 0;

    /// <param name="metrics">Each metric's per-trial values by image column (<see cref="PerImageValues.Of"/>) and its direction.</param>
    public static IReadOnlyList<RankAgreement> Between(IReadOnlyList<(string Metric, bool HigherIsBetter, IReadOnlyDictionary<int, double[]> Values)> metrics,
        int images, long seed)
    {
        var pairs = new List<(int A, int B)>();
        for (var a = 0; a < metrics.Count; a++)
            for (var b = a + 1; b < metrics.Count; b++) pairs.Add((a, b));
        return Of(metrics, pairs, images, seed, Resamples);
    }

    /// <summary>
    /// How far each of <paramref name="others"/> orders the trials as <paramref name="reference"/> does: one agreement per
    /// other metric, that metric <see cref="First"/> and the reference <see cref="Second"/>, all from the same resampled
    /// images. What a ground-truth benchmark asks of each proxy metric.
    /// </summary>
    public static IReadOnlyList<RankAgreement> Against((string Metric, bool HigherIsBetter, IReadOnlyDictionary<int, double[]> Values) reference,
        IReadOnlyList<(string Metric, bool HigherIsBetter, IReadOnlyDictionary<int, double[]> Values)> others, int images, long seed, int resamples = Resamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        return Of([.. others, reference], [.. Enumerable.Range(0, others.Count).Select(other => (other, others.Count))], images, seed, resamples);
    }

    static IReadOnlyList<RankAgreement> Of(IReadOnlyList<(string Metric, bool HigherIsBetter, IReadOnlyDictionary<int, double[]> Values)> metrics,
        IReadOnlyList<(int A, int B)> pairs, int images, long seed, int resamples)
    {
        if (pairs.Count == 0 || images == 0) return [];

        var all = Enumerable.Range(0, images).ToArray();
        var point = pairs.Select(p => TauOf(Means(metrics[p.A], all), Means(metrics[p.B], all))).ToArray();
        var random = new Random(unchecked((int)seed ^ 0x5eed));
        var samples = pairs.Select(_ => new List<double>()).ToArray();
        var drawn = new int[images];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < images; i++) drawn[i] = random.Next(images);
            var means = metrics.Select(m => Means(m, drawn)).ToArray();
            for (var p = 0; p < pairs.Count; p++)
                if (TauOf(means[pairs[p].A], means[pairs[p].B]) is { Trials: >= 2 } tau && !double.IsNaN(tau.Value)) samples[p].Add(tau.Value);
        }
        return pairs.Select((p, i) =>
        {
            var sorted = samples[i].Order().ToArray();
            double? Quantile(double q) => sorted.Length == 0 ? null : sorted[(int)Math.Clamp(Math.Round(q * (sorted.Length - 1)), 0, sorted.Length - 1)];
            return new RankAgreement(metrics[p.A].Metric, metrics[p.B].Metric, point[i].Trials, point[i].Value, Quantile(0.025), Quantile(0.975));
        }).Where(a => a.Trials >= MinimumTrials).ToList();
    }

    /// <summary>Kendall's τ-b of two samples; NaN when either is constant.</summary>
    public static double KendallTauB(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        long concordant = 0, discordant = 0, tiedX = 0, tiedY = 0;
        for (var i = 0; i < x.Count; i++)
            for (var j = i + 1; j < x.Count; j++)
            {
                var (dx, dy) = (Math.Sign(x[i] - x[j]), Math.Sign(y[i] - y[j]));
                if (dx == 0 && dy == 0) continue;
                if (dx == 0) tiedX++;
                else if (dy == 0) tiedY++;
                else if (dx == dy) concordant++;
                else discordant++;
            }
        var denominator = Math.Sqrt((double)(concordant + discordant + tiedX) * (concordant + discordant + tiedY));
        return denominator == 0 ? double.NaN : (concordant - discordant) / denominator;
    }

    static Dictionary<int, double> Means((string Metric, bool HigherIsBetter, IReadOnlyDictionary<int, double[]> Values) metric, int[] columns)
    {
        var means = new Dictionary<int, double>();
        foreach (var (trial, values) in metric.Values)
            if (PerImageValues.Mean(values, columns) is var mean && !double.IsNaN(mean))
                means[trial] = metric.HigherIsBetter ? mean : -mean;
        return means;
    }

    static (int Trials, double Value) TauOf(Dictionary<int, double> first, Dictionary<int, double> second)
    {
        var common = first.Keys.Where(second.ContainsKey).Order().ToArray();
        return (common.Length, common.Length < 2 ? double.NaN : KendallTauB(common.Select(t => first[t]).ToArray(), common.Select(t => second[t]).ToArray()));
    }
}
