namespace Saliency.Attribution.Statistics;

/// <summary>Holm's step-down correction of p-values for a family of tests (Holm 1979): it keeps the family-wise error at α.</summary>
public static class Holm
{
    /// <returns>The adjusted p-values, in the order given; NaN stays NaN and is not counted in the family.</returns>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var adjusted = pValues.ToArray();
        var order = Enumerable.Range(0, pValues.Count).Where(i => !double.IsNaN(pValues[i])).OrderBy(i => pValues[i]).ToArray();
        var running = 0.0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            running = Math.Max(running, Math.Min(1, (order.Length - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
