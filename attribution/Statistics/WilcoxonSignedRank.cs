using MathNet.Numerics.Distributions;

namespace Saliency.Attribution.Statistics;

/// <summary>
/// The two-sided Wilcoxon signed-rank test of paired differences against a median of zero, as
/// <c>scipy.stats.wilcoxon</c> (1.13 and later) computes it by default: zero differences dropped, tied magnitudes given
/// their average rank; the exact null distribution of W+ when at most 50 differences remain and none tie, otherwise the
/// normal approximation with the tie correction of the variance and no continuity correction. MathNet.Numerics has the
/// normal distribution but not this test.
/// </summary>
public static class WilcoxonSignedRank
{
    const int ExactUpTo = 50;

    /// <returns>The p-value; 1 when no difference is non-zero.</returns>
    public static double PValue(IReadOnlyList<double> differences)
    {
        var nonZero = differences.Where(d => d != 0 && !double.IsNaN(d)).ToArray();
        var n = nonZero.Length;
        if (n == 0) return 1;
        var ranks = MathNet.Numerics.Statistics.Statistics.Ranks(nonZero.Select(Math.Abs), MathNet.Numerics.Statistics.RankDefinition.Average);
        var positive = 0.0;
        for (var i = 0; i < n; i++)
            if (nonZero[i] > 0) positive += ranks[i];
        var ties = TieGroups(nonZero.Select(Math.Abs));
        if (n <= ExactUpTo && ties.All(t => t == 1)) return Exact(n, positive);

        var mean = n * (n + 1) / 4.0;
        var variance = n * (n + 1) * (2.0 * n + 1) / 24 - ties.Sum(t => (double)t * t * t - t) / 48;
        if (variance <= 0) return 1;
        var z = (positive - mean) / Math.Sqrt(variance);
        return Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
    }

    /// <summary>2·min(P(W+ ≤ w), P(W+ ≥ w)) under the null, from the count of rank subsets with each sum.</summary>
    static double Exact(int n, double positive)
    {
        var maximum = n * (n + 1) / 2;
        var counts = new double[maximum + 1];
        counts[0] = 1;
        for (var rank = 1; rank <= n; rank++)
            for (var sum = maximum; sum >= rank; sum--)
                counts[sum] += counts[sum - rank];
        var total = Math.Pow(2, n);
        var w = (int)Math.Round(positive);
        double below = 0, above = 0;
        for (var sum = 0; sum <= maximum; sum++)
        {
            if (sum <= w) below += counts[sum];
            if (sum >= w) above += counts[sum];
        }
        return Math.Min(1, 2 * Math.Min(below, above) / total);
    }

    static List<int> TieGroups(IEnumerable<double> magnitudes) =>
        magnitudes.GroupBy(m => m).Select(g => g.Count()).ToList();
}
