namespace Saliency.Attribution.Metrics;

/// <summary>
/// The area under a model's curve, to a stated error against the trapezoid over every grid point, with most points scored by
/// a cheaper proxy of the model (its bfloat16 copy) and a few by the model itself: a control variate. The trapezoid is
/// linear, so the model's area is the proxy's area plus the area of their difference, f − p, and each is estimated by
/// <see cref="AdaptiveCurve"/> to its share of the tolerance. Each estimate is three standard deviations of a sum of
/// independent errors, the two sums are over different curves and points, so the two estimates combine as the root of
/// their squares, the rule each applies within itself. The difference moves far less from step to step than either curve
/// (on the photos-planted ResNet-18's curves, a mean step of 0.002 against 0.016), so a few of the model's own points
/// bound it.
/// <para>
/// The proxy's curve comes first, then the difference's, whose ends are the model's ends (known, shared with other
/// curves) less the proxy's. The difference's points are the model's points, each with the proxy's score at the same
/// step, scored too where the proxy's curve had not. <see cref="NextRound"/> names the points wanted and which scorer
/// each needs; <see cref="Record"/> takes their scores.
/// </para>
/// </summary>
public sealed class ProxiedCurve
{
    /// <summary>
    /// The share of the tolerance the proxy's curve is estimated to; the difference takes what the root of the squares leaves,
    /// √(1 − 0.85²) = 0.53 of it. Replayed on full curves of the photos-planted ResNet-18 and its bfloat16 copy
    /// (scripts/proxied_curve_replay.py; docs/performance.md), shares of 0.7 to 0.95 cost within 10% of each other; 0.85 held
    /// best on 48 photographs it was not chosen on: 108 of the proxy's and 7 of the model's points per curve, where the model
    /// alone took 102, the largest error 0.0037, one curve of 96 beyond its estimate (0.9: 0.0044 and two). Those curves
    /// were rounded to 4 decimals; at full precision the proxy asks about 10 more points, for the same errors.
    /// </summary>
    public const double ProxyShare = 0.85;

    /// <summary>The share of the tolerance the difference is estimated to: √(1 − <see cref="ProxyShare"/>²).</summary>
    public static double DifferenceShare { get; } = Math.Sqrt(1 - ProxyShare * ProxyShare);

    /// <summary>
    /// Intervals of the difference's first round. It moves smoothly enough that 8 bound most curves; 16 cut the largest error
    /// on the 48 photographs from 0.0037 to 0.0031 for 8 more of the model's passes per curve, which cost more than they save.
    /// </summary>
    public const int DifferenceCoarseIntervals = 8;

    readonly AdaptiveCurve proxy;
    readonly double modelStart, modelFinish;
    readonly Dictionary<int, double> modelScores = [];
    readonly HashSet<(int Index, bool Proxy)> awaited = [];
    AdaptiveCurve? difference;
    HashSet<int> differenceAwaited = [];

    /// <param name="intervals">K: the grid's intervals, one per step of the full curve.</param>
    /// <param name="tolerance">The error bound to reach, in AUC units (above 0).</param>
    /// <param name="modelStart">The model's score at step 0.</param>
    /// <param name="modelFinish">The model's score at step K.</param>
    public ProxiedCurve(int intervals, double tolerance, double modelStart, double modelFinish)
    {
        if (!(tolerance > 0 && double.IsFinite(tolerance)))
            throw new ArgumentOutOfRangeException(nameof(tolerance), $"a proxied curve's AUC tolerance must be a finite number above 0, got {tolerance}");
        proxy = new AdaptiveCurve(intervals, ProxyShare * tolerance);
        (Intervals, Tolerance, this.modelStart, this.modelFinish) = (intervals, tolerance, modelStart, modelFinish);
    }

    public int Intervals { get; }
    public double Tolerance { get; }

    /// <summary>Whether both curves have reached their shares of the tolerance and no score is awaited.</summary>
    public bool Done => difference is { Done: true } && awaited.Count == 0;

    /// <summary>The model's own passes: the difference's points, its ends not counted.</summary>
    public int Passes => modelScores.Count;

    /// <summary>The proxy's passes, every one of its points (its ends included).</summary>
    public int ProxyPasses => proxy.Passes;

    /// <summary>
    /// The points to score next, each with whether the proxy scores it: the proxy's rounds first, then the difference's,
    /// which ask the model for each point and the proxy for those it has not scored. Empty once <see cref="Done"/>.
    /// </summary>
    public IReadOnlyList<(int Index, bool Proxy)> NextRound()
    {
        if (awaited.Count > 0) throw new InvalidOperationException($"{awaited.Count} points of the last round are not yet recorded");
        if (difference is null)
        {
            var round = proxy.NextRound();
            if (round.Count > 0) return Await(round.Select(index => (index, true)));
            difference = new AdaptiveCurve(Intervals, DifferenceShare * Tolerance, DifferenceCoarseIntervals);
            difference.Know(0, modelStart - proxy[0]);
            difference.Know(Intervals, modelFinish - proxy[Intervals]);
        }
        var next = difference.NextRound();
        differenceAwaited = [.. next];
        return Await(next.SelectMany(index => proxy.Has(index) ? [(index, false)] : new[] { (index, false), (index, true) }));
    }

    List<(int Index, bool Proxy)> Await(IEnumerable<(int Index, bool Proxy)> points)
    {
        var list = points.ToList();
        awaited.UnionWith(list);
        return list;
    }

    /// <summary>The score at grid point <paramref name="index"/> by the proxy or the model, as <see cref="NextRound"/> asked.</summary>
    public void Record(int index, bool byProxy, double score)
    {
        if (!awaited.Remove((index, byProxy)))
            throw new ArgumentException($"grid point {index} was not asked of the {(byProxy ? "proxy" : "model")}, or is already recorded");
        if (difference is null)
        {
            proxy.Record(index, score);
            return;
        }
        if (byProxy) proxy.Add(index, score);
        else modelScores[index] = score;
        if (differenceAwaited.Contains(index) && modelScores.TryGetValue(index, out var modelScore) && proxy.Has(index))
        {
            differenceAwaited.Remove(index);
            difference.Record(index, modelScore - proxy[index]);
        }
    }

    /// <summary>The proxy's area plus the difference's: the model's area, to within <see cref="ErrorEstimate"/>.</summary>
    public double Auc => Finished().Proxy.Auc + Finished().Difference.Auc;

    /// <summary>The root of the two curves' estimates squared, each of its own area's error against its full trapezoid.</summary>
    public double ErrorEstimate => Math.Sqrt(Math.Pow(Finished().Proxy.ErrorEstimate, 2) + Math.Pow(Finished().Difference.ErrorEstimate, 2));

    /// <summary>Every point the proxy scored, ascending: the difference's points are among them.</summary>
    public double[] Fractions => Finished().Proxy.Fractions;

    /// <summary>
    /// The model's curve at <see cref="Fractions"/>: the proxy's score plus the difference drawn linearly between its points,
    /// so the trapezoid over these values is <see cref="Auc"/>.
    /// </summary>
    public double[] Values
    {
        get
        {
            var (proxyCurve, differenceCurve) = Finished();
            var (at, by) = (differenceCurve.Indices, differenceCurve.Values);
            var segment = 0;
            return proxyCurve.Indices.Select((index, i) =>
            {
                while (segment < at.Length - 2 && at[segment + 1] < index) segment++;
                var (a, b) = (at[segment], at[segment + 1]);
                var offset = by[segment] + (by[segment + 1] - by[segment]) * (index - a) / (b - a);
                return proxyCurve.Values[i] + offset;
            }).ToArray();
        }
    }

    (AdaptiveCurve Proxy, AdaptiveCurve Difference) Finished() =>
        Done ? (proxy, difference!) : throw new InvalidOperationException("the proxied curve's points are not all recorded yet");
}
