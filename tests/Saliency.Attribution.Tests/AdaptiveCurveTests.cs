using System.Text.Json;
using Saliency.Attribution.Metrics;

namespace Saliency.Attribution.Tests;

/// <summary>
/// The adaptive AUC of deletion and insertion curves, on curves given as functions of the grid index: closed forms,
/// and against the trapezoid over every point of the grid, which is what a fixed row-step curve computes.
/// </summary>
public class AdaptiveCurveTests
{
    const int Rows = 224;
    const double Tolerance = 0.005;

    static AdaptiveCurve Run(AdaptiveCurve curve, Func<int, double> f)
    {
        for (var round = curve.NextRound(); round.Count > 0; round = curve.NextRound())
            foreach (var k in round) curve.Record(k, f(k));
        return curve;
    }

    static double FullTrapezoid(int intervals, Func<int, double> f) =>
        CausalMetric.Trapezoid(Enumerable.Range(0, intervals + 1).Select(f).ToArray());

    /// <summary>Curves shaped as deletion and insertion curves come: steps, plateaus, fast and slow falls, staircases, wiggles.</summary>
    public static TheoryData<string> Shapes => new(ShapeOf.Keys);

    static readonly Dictionary<string, Func<int, double>> ShapeOf = new()
    {
        ["step at the start"] = k => k < 3 ? 0.97 : 0.01,
        ["step in the middle"] = k => k < 117 ? 0.9 : 0.05,
        ["step at the end"] = k => k < Rows ? 0.2 : 0.8,
        ["rise to a plateau"] = k => Math.Min(1, k / 40.0) * 0.93,
        ["plateau then a fall"] = k => k < 150 ? 0.88 : 0.88 * Math.Exp(-(k - 150) / 6.0),
        ["fast exponential fall"] = k => Math.Exp(-k / 9.0),
        ["slow sigmoid rise"] = k => 1 / (1 + Math.Exp(-(k - 130) / 25.0)),
        ["staircase of five"] = k => 1 - Math.Floor(k / 45.0) * 0.2,
        ["two plateaus and a dip"] = k => k < 60 ? 0.7 : k < 90 ? 0.1 : k < 160 ? 0.6 : 0.02,
        ["fall with wiggles"] = k => Math.Clamp(Math.Exp(-k / 30.0) + 0.03 * Math.Sin(k / 3.0), 0, 1),
        ["flat"] = _ => 0.42,
    };

    [Fact]
    public void The_area_under_a_linear_curve_is_its_closed_form_whatever_points_are_scored()
    {
        // Deletion of a linear model's evidence from p0 to p1 at a constant rate: the area is (p0 + p1) / 2.
        var (p0, p1) = (0.93, 0.07);
        var curve = Run(new AdaptiveCurve(Rows, Tolerance), k => p0 + (p1 - p0) * k / Rows);

        Assert.Equal((p0 + p1) / 2, curve.Auc, 12);
        Assert.InRange(curve.ErrorEstimate, 0, Tolerance);
    }

    [Fact]
    public void A_curve_that_jumps_once_matches_the_full_curve_to_within_its_estimate_with_a_fifth_of_the_points()
    {
        Func<int, double> f = k => k < 37 ? 0.95 : 0.05;
        var curve = Run(new AdaptiveCurve(Rows, Tolerance), f);

        Assert.InRange(Math.Abs(curve.Auc - FullTrapezoid(Rows, f)), 0, curve.ErrorEstimate + 1e-12);
        Assert.True(curve.Passes <= (Rows + 1) / 5, $"{curve.Passes} points of {Rows + 1}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_error_estimate_bounds_the_error_against_the_full_curve_and_meets_the_tolerance(string shape)
    {
        var f = ShapeOf[shape];
        var curve = Run(new AdaptiveCurve(Rows, Tolerance), f);

        var error = Math.Abs(curve.Auc - FullTrapezoid(Rows, f));
        Assert.True(error <= curve.ErrorEstimate + 1e-12, $"{shape}: error {error} above the estimate {curve.ErrorEstimate}");
        Assert.InRange(curve.ErrorEstimate, 0, Tolerance);
    }

    [Fact]
    public void A_spike_wholly_between_scored_points_is_not_seen_so_the_estimate_is_exact_only_for_curves_monotone_between_them()
    {
        Func<int, double> f = k => k == 100 ? 1 : 0.3;
        var curve = Run(new AdaptiveCurve(Rows, Tolerance), f);

        // The flat curve the scored points show, missing the one-row spike's area: 0.7 / 224.
        Assert.Equal(0, curve.ErrorEstimate);
        Assert.Equal(0.7 / Rows, Math.Abs(curve.Auc - FullTrapezoid(Rows, f)), 12);
    }

    [Theory]
    [InlineData(28)]
    [InlineData(100)]
    [InlineData(224)]
    public void On_curves_of_random_monotone_steps_the_estimate_bounds_the_error(int intervals)
    {
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            // A falling curve with a random number of random drops: one drop is bounded outright, several by the estimate.
            var drops = Enumerable.Range(0, random.Next(1, 12)).Select(_ => (At: random.Next(1, intervals + 1), By: random.NextDouble())).ToArray();
            var scale = drops.Sum(d => d.By);
            Func<int, double> f = k => 1 - drops.Where(d => d.At <= k).Sum(d => d.By) / scale;
            var curve = Run(new AdaptiveCurve(intervals, Tolerance), f);

            var error = Math.Abs(curve.Auc - FullTrapezoid(intervals, f));
            Assert.True(error <= curve.ErrorEstimate + 1e-12, $"trial {trial}: error {error} above the estimate {curve.ErrorEstimate}");
            Assert.InRange(curve.ErrorEstimate, 0, Tolerance);
        }
    }

    /// <summary>
    /// 96 deletion and insertion curves that photos-planted (a pretrained ResNet-18) gave on 48 photographs, at every row
    /// (scripts/make_measured_curves_fixture.py): curves that rise and fall many times, where the gaps' errors are not
    /// bounded one by one and the estimate is a statistical one.
    /// </summary>
    static double[][] MeasuredCurves() =>
        JsonSerializer.Deserialize<double[][]>(File.ReadAllText(TestData.Fixture("photos-planted-curves.json")))!;

    [Fact]
    public void On_measured_curves_every_error_meets_the_tolerance_and_the_estimate_bounds_nearly_all_for_half_the_points()
    {
        var measured = MeasuredCurves();
        var (beyond, scored, total) = (0, 0, 0);
        foreach (var (values, i) in measured.Select((v, i) => (v, i)))
        {
            var intervals = values.Length - 1;
            var curve = Run(new AdaptiveCurve(intervals, Tolerance), k => values[k]);

            var error = Math.Abs(curve.Auc - FullTrapezoid(intervals, k => values[k]));
            Assert.True(error <= Tolerance, $"curve {i}: error {error} above the tolerance");
            beyond += error > curve.ErrorEstimate + 1e-12 ? 1 : 0;
            (scored, total) = (scored + curve.Passes, total + values.Length);
        }

        // Three standard deviations: a curve in a hundred may err beyond its own estimate, as one of these does (by 1.09×).
        Assert.True(beyond <= measured.Length / 20, $"{beyond} of {measured.Length} curves erred beyond their estimate");
        Assert.InRange(scored, 0, total * 6 / 10);
    }

    [Fact]
    public void Noise_ends_the_refinement_at_the_latest_with_every_point_scored()
    {
        var noise = new Random(3);
        var values = Enumerable.Range(0, Rows + 1).Select(_ => noise.NextDouble()).ToArray();
        var curve = Run(new AdaptiveCurve(Rows, Tolerance), k => values[k]);

        Assert.InRange(curve.Passes, 2, Rows + 1);
        Assert.InRange(Math.Abs(curve.Auc - CausalMetric.Trapezoid(values)), 0, curve.ErrorEstimate + 1e-12);
    }

    [Fact]
    public void A_full_curve_scores_every_point_in_one_round_and_is_the_trapezoid_of_them_all()
    {
        var values = Enumerable.Range(0, 29).Select(k => Math.Cos(k / 5.0) * 0.5 + 0.5).ToArray();
        var curve = AdaptiveCurve.Full(28);

        var round = curve.NextRound();
        foreach (var k in round) curve.Record(k, values[k]);

        Assert.Equal(Enumerable.Range(0, 29), round);
        Assert.Empty(curve.NextRound());
        Assert.True(curve.Done);
        Assert.Equal(CausalMetric.Trapezoid(values), curve.Auc, 12);
        Assert.Equal(0, curve.ErrorEstimate);
    }

    [Fact]
    public void The_points_are_reported_at_their_fractions_in_order()
    {
        var curve = Run(new AdaptiveCurve(8, Tolerance, coarseIntervals: 2), k => k < 5 ? 1 : 0);

        Assert.Equal(curve.Indices.Select(k => k / 8.0), curve.Fractions);
        Assert.Equal(curve.Indices.Select(k => k < 5 ? 1.0 : 0.0), curve.Values);
        Assert.Equal([0.0, 0.5, 0.625, 0.75, 1.0], curve.Fractions);
    }

    [Fact]
    public void A_round_must_be_recorded_whole_before_the_next()
    {
        var curve = new AdaptiveCurve(Rows, Tolerance);
        var round = curve.NextRound();
        curve.Record(round[0], 1);

        Assert.Throws<InvalidOperationException>(() => curve.NextRound());
        Assert.Throws<InvalidOperationException>(() => curve.Auc);
    }

    [Fact]
    public void A_point_not_asked_for_is_refused()
    {
        var curve = new AdaptiveCurve(Rows, Tolerance);
        curve.NextRound();

        var error = Assert.Throws<ArgumentException>(() => curve.Record(1, 0.5));
        Assert.Contains("grid point 1", error.Message);
    }

    [Fact]
    public void Ends_given_before_the_first_round_are_never_asked_for_nor_counted_as_passes()
    {
        Func<int, double> f = k => k < 90 ? 0.9 : 0.1;
        var (given, alone) = (new AdaptiveCurve(Rows, Tolerance), Run(new AdaptiveCurve(Rows, Tolerance), f));
        given.Know(0, f(0));
        given.Know(Rows, f(Rows));

        var asked = new List<int>();
        for (var round = given.NextRound(); round.Count > 0; round = given.NextRound())
            foreach (var k in round)
            {
                asked.Add(k);
                given.Record(k, f(k));
            }

        Assert.DoesNotContain(0, asked);
        Assert.DoesNotContain(Rows, asked);
        Assert.Equal(alone.Passes - 2, given.Passes);
        Assert.Equal(alone.Auc, given.Auc);
        Assert.Equal(alone.Indices, given.Indices);
    }

    [Fact]
    public void A_point_can_be_given_only_before_the_first_round()
    {
        var curve = new AdaptiveCurve(Rows, Tolerance);
        curve.NextRound();

        Assert.Throws<InvalidOperationException>(() => curve.Know(0, 1));
    }

    [Fact]
    public void A_point_given_twice_is_refused()
    {
        var curve = new AdaptiveCurve(Rows, Tolerance);
        curve.Know(0, 1);

        Assert.Contains("grid point 0", Assert.Throws<ArgumentException>(() => curve.Know(0, 0.5)).Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_tolerance_that_is_not_a_finite_number_of_at_least_zero_is_refused(double tolerance)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveCurve(Rows, tolerance));
        Assert.Contains("tolerance", error.Message);
    }
}
