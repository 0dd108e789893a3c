namespace Saliency.Attribution.Metrics;

/// <summary>
/// The area under a curve known only where it is scored, on a grid of <see cref="Intervals"/> + 1 points (fraction k / K),
/// to a stated error against the trapezoid rule over every point of the grid, scoring as few points as that takes.
/// <para>
/// Coarse points first; then, round by round, the intervals whose error bound is largest are halved, until the error
/// estimate is at most the tolerance. Between two scored neighbours a and b, the grid points not scored change the area by
/// at most bᵢ = (b − a) / K · |f(b) − f(a)| / 2 when the curve is monotone from a to b: each lies between f(a) and f(b), so
/// the full trapezoid lies within that of a step at a or at b. Where a curve falls or rises once, that one interval's bound
/// is the error's bound. Deletion and insertion curves of a trained network rise and fall many times along the way, and
/// their intervals' errors take either sign and mostly cancel: the sum of the bounds overstated the largest error 4 to 5
/// times and asked for 350 points of 450 on the pretrained ResNet-18. So the estimate takes each interval's error as
/// uniform within ±bᵢ and independent of the others: the total's standard deviation is √(Σ bᵢ² / 3), and the estimate is
/// three of them, √(3 Σ bᵢ²). It is at least the single largest bound (√3 bᵢ ≥ bᵢ), so a curve with one transition is
/// bounded as before; on the photos-planted curves it asked for 221 points per image (deletion and insertion) and the
/// largest error was 0.73 of its estimate (<c>bench metrics</c> measures it against the full curves; docs/performance.md);
/// on 48 further photographs one curve of 96 erred by 1.09 times its estimate (within the tolerance), and estimates that
/// asked for fewer points let more curves err beyond them (2.5 deviations: 4 of 96), so three it stays.
/// A wiggle that falls wholly between two scored neighbours is not seen by either form. Two neighbours on the grid leave
/// nothing unscored between them, so refinement always ends, at the latest with every point scored.
/// </para>
/// <para>
/// The caller scores the points: <see cref="NextRound"/> names the grid indices wanted, <see cref="Record"/> takes their
/// scores, so the points of many curves can share one forward pass.
/// </para>
/// </summary>
public sealed class AdaptiveCurve
{
    /// <summary>
    /// Intervals of the first, coarse round: 32 places a point every 7 rows of a 224-row curve. A hump narrower than that
    /// can hide between two points; on the pretrained ResNet-18's curves, which rise and fall several times (total
    /// variation up to 4.4 on a range of 0.5), 16 let one AUC miss by 0.006 against an estimate of at most 0.004, and 32
    /// cost 3% more points than 16 where both held.
    /// </summary>
    public const int DefaultCoarseIntervals = 32;

    readonly SortedDictionary<int, double> scored = [];
    readonly HashSet<int> awaited = [];
    int known;

    /// <param name="intervals">K: the grid's intervals, one per step of the full curve.</param>
    /// <param name="tolerance">The error bound to reach, in AUC units; 0 scores every point of the grid.</param>
    /// <param name="coarseIntervals">Intervals of the first round, evenly spaced on the grid (at most K).</param>
    public AdaptiveCurve(int intervals, double tolerance, int coarseIntervals = DefaultCoarseIntervals)
    {
        if (intervals < 1) throw new ArgumentOutOfRangeException(nameof(intervals), $"a curve needs at least one interval, got {intervals}");
        if (!(tolerance >= 0 && double.IsFinite(tolerance)))
            throw new ArgumentOutOfRangeException(nameof(tolerance), $"the AUC tolerance must be a finite number of at least 0, got {tolerance}");
        if (coarseIntervals < 1) throw new ArgumentOutOfRangeException(nameof(coarseIntervals), $"the coarse round needs at least one interval, got {coarseIntervals}");
        Intervals = intervals;
        Tolerance = tolerance;
        CoarseIntervals = tolerance == 0 ? intervals : Math.Min(coarseIntervals, intervals);
    }

    /// <summary>Every point of a grid of <paramref name="intervals"/> intervals, in one round: a fixed-step curve.</summary>
    public static AdaptiveCurve Full(int intervals) => new(intervals, 0);

    public int Intervals { get; }
    public double Tolerance { get; }
    public int CoarseIntervals { get; }

    /// <summary>Whether the error bound has reached the tolerance (or every point is scored) and no score is awaited.</summary>
    public bool Done { get; private set; }

    /// <summary>Points scored so far for this curve, not counting those it was given (<see cref="Know"/>).</summary>
    public int Passes => scored.Count - known;

    /// <summary>
    /// A point whose score is known before the first round (the curve's ends, which are the model's score on its start and
    /// finish images, shared with other curves): it is never asked for.
    /// </summary>
    public void Know(int index, double score)
    {
        if (awaited.Count > 0 || Done || scored.Count > known) throw new InvalidOperationException("points can be given only before the first round");
        if (index < 0 || index > Intervals) throw new ArgumentOutOfRangeException(nameof(index), $"grid point {index} is outside 0 to {Intervals}");
        if (!scored.TryAdd(index, score)) throw new ArgumentException($"grid point {index} is already given");
        known++;
    }

    /// <summary>
    /// The grid indices to score next: the coarse points on the first call, then the midpoints of the intervals to halve;
    /// empty once <see cref="Done"/>. Every index named must be <see cref="Record"/>ed before the next call.
    /// </summary>
    public IReadOnlyList<int> NextRound()
    {
        if (awaited.Count > 0) throw new InvalidOperationException($"{awaited.Count} points of the last round are not yet recorded");
        if (Done) return [];
        var next = scored.Count == known
            ? Enumerable.Range(0, CoarseIntervals + 1).Select(j => (int)Math.Round((double)j * Intervals / CoarseIntervals)).Distinct()
                .Where(index => !scored.ContainsKey(index)).ToList()
            : Splits();
        if (next.Count == 0)
        {
            Done = true;
            return [];
        }
        awaited.UnionWith(next);
        return next;
    }

    /// <summary>The score at grid index <paramref name="index"/>, as asked for by <see cref="NextRound"/>.</summary>
    public void Record(int index, double score)
    {
        if (!awaited.Remove(index)) throw new ArgumentException($"grid point {index} was not asked for, or is already recorded");
        scored[index] = score;
    }

    /// <summary>
    /// A point scored outside the rounds, once the curve is <see cref="Done"/> (for a curve estimated beside another, which
    /// needed that point): it counts as a pass, and the area and error estimate take it in.
    /// </summary>
    public void Add(int index, double score)
    {
        if (!Done) throw new InvalidOperationException("points outside the rounds can be added only once the curve is done");
        if (index < 0 || index > Intervals) throw new ArgumentOutOfRangeException(nameof(index), $"grid point {index} is outside 0 to {Intervals}");
        if (!scored.TryAdd(index, score)) throw new ArgumentException($"grid point {index} is already scored");
    }

    /// <summary>Whether grid point <paramref name="index"/> has a score.</summary>
    public bool Has(int index) => scored.ContainsKey(index);

    /// <summary>The score at grid point <paramref name="index"/>, which must have one (<see cref="Has"/>).</summary>
    public double this[int index] => scored.TryGetValue(index, out var score) ? score
        : throw new ArgumentException($"grid point {index} has no score");

    /// <summary>
    /// The midpoints of the intervals with the largest bounds, as many as it takes for the estimate to reach the tolerance
    /// if each halving leaves its interval's two halves bounds of at most half its own together (as wherever the curve is
    /// monotone), so their squares at most a quarter of its square; none when it is reached.
    /// </summary>
    List<int> Splits()
    {
        var bounds = IntervalBounds().Where(b => b.End - b.Start >= 2).OrderByDescending(b => b.Bound).ThenBy(b => b.Start).ToList();
        var squares = bounds.Sum(b => b.Bound * b.Bound);
        var splits = new List<int>();
        foreach (var (start, end, bound) in bounds)
        {
            if (Estimate(squares) <= Tolerance || bound == 0) break;
            splits.Add((start + end) / 2);
            squares -= 0.75 * bound * bound;
        }
        return splits;
    }

    /// <summary>Three standard deviations of a sum of independent errors, each uniform within ±bᵢ: √(3 Σ bᵢ²).</summary>
    static double Estimate(double squaredBounds) => Math.Sqrt(3 * Math.Max(0, squaredBounds));

    IEnumerable<(int Start, int End, double Bound)> IntervalBounds()
    {
        using var points = scored.GetEnumerator();
        if (!points.MoveNext()) yield break;
        var (a, fa) = (points.Current.Key, points.Current.Value);
        while (points.MoveNext())
        {
            var (b, fb) = (points.Current.Key, points.Current.Value);
            yield return (a, b, b - a < 2 ? 0 : (double)(b - a) / Intervals * Math.Abs(fb - fa) / 2);
            (a, fa) = (b, fb);
        }
    }

    /// <summary>The trapezoid rule over the scored points, each at its fraction k / K of [0, 1].</summary>
    public double Auc
    {
        get
        {
            RequireScored();
            var sum = 0.0;
            using var points = scored.GetEnumerator();
            points.MoveNext();
            var (a, fa) = (points.Current.Key, points.Current.Value);
            while (points.MoveNext())
            {
                var (b, fb) = (points.Current.Key, points.Current.Value);
                sum += (b - a) * (fa + fb);
                (a, fa) = (b, fb);
            }
            return sum / (2.0 * Intervals);
        }
    }

    /// <summary>
    /// The estimate of |<see cref="Auc"/> − the trapezoid over every grid point|, √(3 Σ bᵢ²) over the intervals' bounds:
    /// a bound where the curve changes monotonically across one interval, three standard deviations of the error where its
    /// intervals' errors are independent; 0 once every point is scored.
    /// </summary>
    public double ErrorEstimate
    {
        get
        {
            RequireScored();
            return Estimate(IntervalBounds().Sum(b => b.Bound * b.Bound));
        }
    }

    /// <summary>The scored points' fractions of [0, 1], ascending.</summary>
    public double[] Fractions => scored.Keys.Select(k => (double)k / Intervals).ToArray();

    /// <summary>The scored points' values, in the order of <see cref="Fractions"/>.</summary>
    public double[] Values => [.. scored.Values];

    /// <summary>The scored grid indices, ascending.</summary>
    public int[] Indices => [.. scored.Keys];

    void RequireScored()
    {
        if (awaited.Count > 0 || scored.Count == 0)
            throw new InvalidOperationException("the curve's points are not all recorded yet");
    }
}
