namespace Saliency.Attribution.Metrics.Localisation;

/// <summary>
/// A map reduced to one relevance per pixel, as every localisation metric reads it: the map (channels × height × width)
/// summed over its channels, as Quantus' explanations are summed over the channel axis before its metrics see them.
/// </summary>
internal static class PixelRelevance
{
    /// <summary>The map's relevance per pixel, after checking that <paramref name="metric"/> can score it against <paramref name="mask"/>.</summary>
    public static double[] Of(string metric, ReadOnlySpan<float> map, GroundTruthMask mask, bool needsBackground = false)
    {
        var pixels = mask.Pixels;
        if (map.IsEmpty || map.Length % pixels != 0)
            throw new ArgumentException(
                $"{metric}: the map has {map.Length} values, which is no whole number of channels of the mask's {mask.Height}×{mask.Width} pixels", nameof(map));
        if (mask.Foreground == 0)
            throw new ArgumentException($"{metric}: the mask has no pixel inside, so there is no evidence to localise", nameof(mask));
        if (needsBackground && mask.Background == 0)
            throw new ArgumentException($"{metric}: the mask covers every pixel, and this metric needs pixels outside it too", nameof(mask));
        var relevance = new double[pixels];
        for (var c = 0; c < map.Length / pixels; c++)
            for (var p = 0; p < pixels; p++)
                relevance[p] += map[c * pixels + p];
        foreach (var value in relevance)
            if (!double.IsFinite(value)) throw new ArgumentException($"{metric}: the map holds NaN or infinite values", nameof(map));
        return relevance;
    }

    /// <summary>
    /// The fraction of the <paramref name="k"/> most relevant pixels that lie inside. Pixels tied with the k-th share the
    /// places left in proportion, the mean over every order of the tie, so a constant map scores the mask's area fraction
    /// wherever the mask lies.
    /// </summary>
    public static double TopInside(double[] relevance, GroundTruthMask mask, int k)
    {
        var kth = relevance.OrderDescending().ElementAt(k - 1);
        int above = 0, aboveInside = 0, tied = 0, tiedInside = 0;
        for (var p = 0; p < relevance.Length; p++)
        {
            if (relevance[p] > kth)
                (above, aboveInside) = (above + 1, aboveInside + (mask[p] ? 1 : 0));
            else if (relevance[p] == kth)
                (tied, tiedInside) = (tied + 1, tiedInside + (mask[p] ? 1 : 0));
        }
        return (aboveInside + (double)(k - above) * tiedInside / tied) / k;
    }

    /// <summary>Σ f(r) inside over Σ f(r) everywhere, 0 when the whole sum is 0.</summary>
    public static double ShareInside(double[] relevance, GroundTruthMask mask, Func<double, double> f)
    {
        double inside = 0, total = 0;
        for (var p = 0; p < relevance.Length; p++)
        {
            var value = f(relevance[p]);
            total += value;
            if (mask[p]) inside += value;
        }
        return total == 0 ? 0 : inside / total;
    }
}
