namespace Saliency.Attribution.Metrics;

/// <summary>
/// Properties of a map alone, with no model pass: how concentrated it is. Both read |a| over every element of the map
/// (all channels), as Quantus flattens a map before it scores it.
/// </summary>
public static class MapStatistics
{
    /// <summary>
    /// Sparseness: the Gini index of |a| (Chalasani et al. 2020, "Concise explanations of neural networks using
    /// adversarial training"), Σ_k (2k − n − 1)·a_(k) / (n·Σ a) over the values sorted ascending, k from 1. 0 for a map
    /// that weighs every element alike, (n − 1)/n for one that puts everything on one. An all-zero map scores 0, the
    /// limit Quantus reaches by adding 1e-7 to every element, which it does and this does not.
    /// </summary>
    public static double Sparseness(ReadOnlySpan<float> map)
    {
        var values = Magnitudes(map, out var sum);
        if (sum == 0) return 0;
        Array.Sort(values);
        var n = values.Length;
        var weighted = 0.0;
        for (var k = 0; k < n; k++) weighted += (2.0 * (k + 1) - n - 1) * values[k];
        return weighted / (n * sum);
    }

    /// <summary>
    /// Complexity: the Shannon entropy, in nats, of |a| normalised to sum to 1 (Bhatt et al. 2020, "Evaluating and
    /// aggregating feature-based model explanations"). 0 for a map on one element, ln n for a uniform one; an all-zero
    /// map counts as uniform.
    /// </summary>
    public static double Complexity(ReadOnlySpan<float> map)
    {
        var values = Magnitudes(map, out var sum);
        if (sum == 0) return Math.Log(values.Length);
        var entropy = 0.0;
        foreach (var value in values)
            if (value > 0)
            {
                var p = value / sum;
                entropy -= p * Math.Log(p);
            }
        return entropy;
    }

    static double[] Magnitudes(ReadOnlySpan<float> map, out double sum)
    {
        if (map.IsEmpty) throw new ArgumentException("an empty map has no sparseness or complexity", nameof(map));
        var values = new double[map.Length];
        sum = 0;
        for (var i = 0; i < map.Length; i++)
        {
            values[i] = Math.Abs((double)map[i]);
            sum += values[i];
        }
        return values;
    }
}
