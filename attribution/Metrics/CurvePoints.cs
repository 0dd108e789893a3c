namespace Saliency.Attribution.Metrics;

/// <summary>One image's curve as <see cref="CausalMetric.Score"/> drives it: every step, to a tolerance, or through a proxy.</summary>
sealed class CurvePoints
{
    readonly AdaptiveCurve? plain;
    readonly ProxiedCurve? proxied;

    CurvePoints(AdaptiveCurve? plain, ProxiedCurve? proxied) => (this.plain, this.proxied) = (plain, proxied);

    /// <param name="ends">The model's scores at step 0 and step K when known; a proxy needs them.</param>
    public static CurvePoints For(int steps, double? tolerance, double[]? ends, bool proxy)
    {
        if (proxy && tolerance is { } t && ends is [var start, var finish]) return new(null, new ProxiedCurve(steps, t, start, finish));
        var curve = tolerance is { } bound ? new AdaptiveCurve(steps, bound) : AdaptiveCurve.Full(steps);
        if (ends is [var first, var last])
        {
            curve.Know(0, first);
            curve.Know(steps, last);
        }
        return new(curve, null);
    }

    public IReadOnlyList<(int Index, bool Proxy)> NextRound() =>
        proxied?.NextRound() ?? [.. plain!.NextRound().Select(index => (index, false))];

    public void Record(int index, bool byProxy, double score)
    {
        if (proxied is not null) proxied.Record(index, byProxy, score);
        else plain!.Record(index, score);
    }

    public CurveScore Result() => proxied is { } p
        ? new CurveScore(p.Auc, p.Values, p.Fractions, p.Passes, p.ErrorEstimate, p.ProxyPasses)
        : new CurveScore(plain!.Auc, plain.Values, plain.Fractions, plain.Passes, plain.ErrorEstimate);
}
