using System.Text.Json;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>
/// A curve's area through a cheaper proxy and a few of the model's own points: closed forms, the protocol, and the error
/// against the model's full curve on measured pairs of curves (the ResNet-18 of photos-planted in float32 and in bfloat16).
/// </summary>
public class ProxiedCurveTests
{
    const int Rows = 224;
    const double Tolerance = 0.005;

    static ProxiedCurve Run(ProxiedCurve curve, Func<int, double> model, Func<int, double> proxy)
    {
        for (var round = curve.NextRound(); round.Count > 0; round = curve.NextRound())
            foreach (var (k, byProxy) in round) curve.Record(k, byProxy, byProxy ? proxy(k) : model(k));
        return curve;
    }

    static ProxiedCurve Run(Func<int, double> model, Func<int, double> proxy, int intervals = Rows) =>
        Run(new ProxiedCurve(intervals, Tolerance, model(0), model(intervals)), model, proxy);

    static double FullTrapezoid(int intervals, Func<int, double> f) =>
        CausalMetric.Trapezoid(Enumerable.Range(0, intervals + 1).Select(f).ToArray());

    [Fact]
    public void A_linear_curve_through_an_offset_proxy_has_its_closed_form_area_with_only_the_coarse_points_of_the_model()
    {
        // The proxy reads every point 0.03 too high: the difference is constant, so its coarse points bound it exactly.
        var (p0, p1) = (0.93, 0.07);
        double Model(int k) => p0 + (p1 - p0) * k / Rows;
        var curve = Run(Model, k => Model(k) + 0.03);

        Assert.Equal((p0 + p1) / 2, curve.Auc, 12);
        Assert.Equal(ProxiedCurve.DifferenceCoarseIntervals - 1, curve.Passes);
        Assert.InRange(curve.ErrorEstimate, 0, Tolerance);
    }

    [Fact]
    public void The_curve_it_reports_has_the_area_it_reports_and_the_model_s_own_ends()
    {
        double Model(int k) => Math.Clamp(Math.Exp(-k / 30.0) + 0.03 * Math.Sin(k / 3.0), 0, 1);
        double Proxy(int k) => Model(k) + 0.02 * Math.Cos(k / 50.0) + 0.004 * Math.Sin(k * 1.7);
        var curve = Run(Model, Proxy);

        Assert.Equal(curve.Auc, TrapezoidAt(curve.Fractions, curve.Values), 12);
        Assert.Equal((0.0, 1.0), (curve.Fractions[0], curve.Fractions[^1]));
        Assert.Equal(Model(0), curve.Values[0], 12);
        Assert.Equal(Model(Rows), curve.Values[^1], 12);
        Assert.InRange(Math.Abs(curve.Auc - FullTrapezoid(Rows, Model)), 0, curve.ErrorEstimate + 1e-12);
    }

    static double TrapezoidAt(double[] x, double[] y) => Enumerable.Range(1, x.Length - 1).Sum(i => (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2);

    [Fact]
    public void Where_the_proxy_is_the_model_the_model_scores_only_the_difference_s_coarse_points()
    {
        double Model(int k) => 1 / (1 + Math.Exp(-(k - 130) / 25.0));
        var alone = new AdaptiveCurve(Rows, ProxiedCurve.ProxyShare * Tolerance);
        for (var round = alone.NextRound(); round.Count > 0; round = alone.NextRound())
            foreach (var k in round) alone.Record(k, Model(k));
        var curve = Run(Model, Model);

        Assert.Equal(alone.Auc, curve.Auc, 12);
        Assert.Equal(alone.Passes, curve.ProxyPasses);
        Assert.Equal(ProxiedCurve.DifferenceCoarseIntervals - 1, curve.Passes);
    }

    [Fact]
    public void Scores_not_asked_for_are_refused_and_a_round_must_be_recorded_before_the_next()
    {
        var curve = new ProxiedCurve(Rows, Tolerance, 0.9, 0.1);
        var round = curve.NextRound();

        Assert.All(round, point => Assert.True(point.Proxy));
        Assert.Throws<InvalidOperationException>(() => curve.NextRound());
        Assert.Throws<ArgumentException>(() => curve.Record(round[0].Index, false, 0.5));
        Assert.Throws<InvalidOperationException>(() => curve.Auc);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProxiedCurve(Rows, 0, 0.9, 0.1));
    }

    /// <summary>
    /// Deletion and insertion curves of 16 photographs by the photos-planted ResNet-18 in float32 (the model) and its copy in
    /// bfloat16 (the proxy), every row, 4 decimals (<c>dotnet run -c Release scripts/bfloat16-curves.cs -- 16 2 FILE</c>).
    /// The two differ by up to 0.011 in area, twice the tolerance, so the difference must be measured, not ignored.
    /// </summary>
    static double[][][] MeasuredPairs() =>
        JsonSerializer.Deserialize<double[][][]>(File.ReadAllText(TestData.Fixture("photos-planted-bfloat16-curves.json")))!;

    [Fact]
    public void On_measured_curves_the_error_stays_within_the_tolerance_and_the_model_scores_a_tenth_of_the_points()
    {
        var pairs = MeasuredPairs();
        var (beyond, modelPasses, proxyAlone) = (0, 0, 0.0);
        foreach (var pair in pairs)
        {
            var (model, proxy) = (pair[0], pair[1]);
            var intervals = model.Length - 1;
            var curve = Run(k => model[k], k => proxy[k], intervals);
            var error = Math.Abs(curve.Auc - CausalMetric.Trapezoid(model));

            Assert.InRange(error, 0, Tolerance);
            Assert.InRange(curve.ErrorEstimate, 0, Tolerance);
            if (error > curve.ErrorEstimate + 1e-12) beyond++;
            modelPasses += curve.Passes;
            proxyAlone = Math.Max(proxyAlone, Math.Abs(CausalMetric.Trapezoid(proxy) - CausalMetric.Trapezoid(model)));
        }

        Assert.Equal(32, pairs.Length);
        Assert.True(proxyAlone > Tolerance, $"the proxy's own areas were all within {Tolerance} of the model's: the fixture tests nothing");
        Assert.InRange(beyond, 0, pairs.Length / 20);
        Assert.InRange(modelPasses / (double)pairs.Length, 0, 0.1 * Rows);
    }

    static readonly ImageShape Large = new(1, 64, 64);

    /// <summary>A linear model on 64 × 64 images, its weights scaled so that its probabilities move over the curve.</summary>
    static ImageClassifier Steep()
    {
        var (model, _) = SyntheticModels.Linear(2, seed: 11, Large);
        using var noGrad = no_grad();
        foreach (var parameter in model.Network.parameters()) parameter.mul_(60);
        return model;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Through_a_bfloat16_copy_the_metric_s_area_is_the_model_s_to_within_its_estimate_from_few_of_the_model_s_passes(bool deletion)
    {
        using var model = Steep();
        using var proxy = Steep().To(ScalarType.BFloat16);
        var pixels = Enumerable.Range(0, 3 * Large.Size).Select(i => (i * 7919 % 256) / 255f).ToArray();
        var images = new ImageSet("synthetic", Large, pixels, [0, 1, 2], [0, 1, 0]);
        var maps = new RandomMap(seed: 3).Attribute(model, images, Target.Class(0));
        var (black, step) = (Substrate.Parse("black"), MetricStep.ToTolerance(Tolerance));
        var metric = deletion ? CausalMetric.Deletion(black, step) : CausalMetric.Insertion(black, step);
        var full = (deletion ? CausalMetric.Deletion(black) : CausalMetric.Insertion(black)).Score(model, images, maps);

        var scores = metric.Score(model, images, maps, proxy: proxy);

        Assert.True(metric.TakesProxy(Large));
        Assert.False(CausalMetric.Deletion(black, MetricStep.ToTolerance(Tolerance, proxy: false)).TakesProxy(Large));

        for (var i = 0; i < images.Count; i++)
        {
            Assert.InRange(scores[i].ErrorEstimate, 0, Tolerance);
            // Within the tolerance, not within the estimate: a linear model's bfloat16 rounding differs from point to point as
            // noise would, where a deep network's moves smoothly (the measured pairs above), and the estimate assumes the latter.
            Assert.InRange(Math.Abs(scores[i].Auc - full[i].Auc), 0, Tolerance);
            Assert.InRange(scores[i].ProxyPasses, AdaptiveCurve.DefaultCoarseIntervals + 1, 65);
            Assert.InRange(scores[i].Passes, ProxiedCurve.DifferenceCoarseIntervals - 1, 32);
        }
    }

    [Fact]
    public void A_curve_with_no_more_steps_than_the_coarse_round_is_the_model_s_own_whatever_the_proxy()
    {
        // 28 rows: the tolerance scores every one of them, exactly, and a proxy could only add error.
        using var model = SyntheticModels.RegionMean(8, 15, 12);
        using var proxy = SyntheticModels.RegionMean(8, 15, 12).To(ScalarType.BFloat16);
        var images = TestData.FashionTest.Select(new[] { 0, 1 });
        var maps = new RandomMap(seed: 3).Attribute(model, images, Target.Class(0));
        var metric = CausalMetric.Deletion(Substrate.Parse("black"), MetricStep.ToTolerance(Tolerance));

        var (alone, proxied) = (metric.Score(model, images, maps), metric.Score(model, images, maps, proxy: proxy));

        Assert.False(metric.TakesProxy(images.Shape));
        Assert.Equal(alone.Select(s => s.Auc), proxied.Select(s => s.Auc));
        Assert.All(proxied, s => Assert.Equal((29, 0), (s.Passes, s.ProxyPasses)));
    }
}
