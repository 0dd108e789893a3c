using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>
/// Deletion and insertion on a model whose answer is known: the probability of class 0 is
/// σ(k · mean of a fixed region). The best order moves the region's brightest pixels first; the worst
/// moves everything else first, then the region's dimmest; both curves can be computed directly.
/// </summary>
public class FaithfulnessMetricTests
{
    const int First = 8, Last = 15;
    const double Gain = 12;
    readonly ImageSet images = TestData.FashionTest.Select(new[] { 0, 1, 2 });
    readonly ImageClassifier model = SyntheticModels.RegionMean(First, Last, Gain);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_perfect_map_reaches_the_best_computable_auc(bool deletion)
    {
        var metric = deletion ? CausalMetric.Deletion(Substrate.Parse("black")) : CausalMetric.Insertion(Substrate.Parse("black"));
        var scores = metric.Score(model, images, Maps(RegionSaliency(sign: 1)));

        for (var i = 0; i < images.Count; i++)
            Assert.Equal(ComputedAuc(i, deletion, best: true), scores[i].Auc, 1e-6);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_reversed_map_reaches_the_worst_computable_auc(bool deletion)
    {
        var metric = deletion ? CausalMetric.Deletion(Substrate.Parse("black")) : CausalMetric.Insertion(Substrate.Parse("black"));
        var scores = metric.Score(model, images, Maps(RegionSaliency(sign: -1)));

        for (var i = 0; i < images.Count; i++)
            Assert.Equal(ComputedAuc(i, deletion, best: false), scores[i].Auc, 1e-6);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_random_map_lands_between_best_and_worst(bool deletion)
    {
        var metric = deletion ? CausalMetric.Deletion(Substrate.Parse("black")) : CausalMetric.Insertion(Substrate.Parse("black"));
        var random = new RandomMap(seed: 5).Attribute(model, images, Target.Class(0));
        var scores = metric.Score(model, images, random);

        for (var i = 0; i < images.Count; i++)
        {
            var (best, worst) = (ComputedAuc(i, deletion, true), ComputedAuc(i, deletion, false));
            Assert.InRange(scores[i].Auc, Math.Min(best, worst) + 1e-4, Math.Max(best, worst) - 1e-4);
        }
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 5)]
    [InlineData(false, 5)]
    [InlineData(false, 29)]
    public void The_curve_is_the_same_whatever_the_batch_its_points_are_scored_in(bool deletion, int batch)
    {
        var black = Substrate.Parse("black");
        var metric = deletion ? CausalMetric.Deletion(black, batchSize: batch) : CausalMetric.Insertion(black, batchSize: batch);
        var scores = metric.Score(model, images, Maps(RegionSaliency(sign: 1)));

        for (var i = 0; i < images.Count; i++)
            Assert.Equal(ComputedAuc(i, deletion, best: true), scores[i].Auc, 1e-6);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void With_a_tolerance_the_auc_is_the_computed_one_to_within_its_error_estimate(bool deletion)
    {
        var (black, step) = (Substrate.Parse("black"), MetricStep.ToTolerance(0.005));
        var metric = deletion ? CausalMetric.Deletion(black, step) : CausalMetric.Insertion(black, step);
        var random = new RandomMap(seed: 5).Attribute(model, images, Target.Class(0));
        var full = (deletion ? CausalMetric.Deletion(black) : CausalMetric.Insertion(black)).Score(model, images, random);

        foreach (var (maps, computed) in new[] { (Maps(RegionSaliency(1)), (Func<int, double>)(i => ComputedAuc(i, deletion, true))), (random, i => full[i].Auc) })
        {
            var scores = metric.Score(model, images, maps);
            for (var i = 0; i < images.Count; i++)
            {
                Assert.InRange(scores[i].ErrorEstimate, 0, 0.005);
                Assert.InRange(Math.Abs(scores[i].Auc - computed(i)), 0, scores[i].ErrorEstimate + 1e-6);
                Assert.Equal(scores[i].Passes, scores[i].Fractions.Length);
            }
        }
    }

    [Fact]
    public void Curves_given_their_shared_ends_score_as_they_do_alone_and_ask_two_points_fewer()
    {
        var (black, step) = (Substrate.Parse("black"), MetricStep.ToTolerance(0.005));
        var maps = Maps(RegionSaliency(1));
        var ends = CausalMetric.Ends(model, images, maps, black);

        foreach (var metric in new[] { CausalMetric.Deletion(black, step), CausalMetric.Insertion(black, step) })
        {
            var (alone, shared) = (metric.Score(model, images, maps), metric.Score(model, images, maps, ends: ends));
            for (var i = 0; i < images.Count; i++)
            {
                Assert.Equal(alone[i].Fractions, shared[i].Fractions);
                Assert.Equal(alone[i].Auc, shared[i].Auc, 6);
                Assert.Equal(alone[i].Passes - 2, shared[i].Passes);
            }
        }
    }

    [Fact]
    public void A_curve_of_every_step_reports_each_at_its_fraction_with_no_error()
    {
        var score = CausalMetric.Insertion(Substrate.Parse("black")).Score(model, images, Maps(RegionSaliency(1)))[2];

        Assert.Equal(Enumerable.Range(0, 29).Select(k => k / 28.0), score.Fractions);
        Assert.Equal((29, 0.0), (score.Passes, score.ErrorEstimate));
    }

    [Fact]
    public void Deletion_runs_from_the_input_to_the_substrate_in_row_sized_steps()
    {
        var score = CausalMetric.Deletion(Substrate.Parse("black")).Score(model, images, Maps(RegionSaliency(1)))[0];

        Assert.Equal(28 + 1, score.Curve.Length);
        Assert.Equal(Probability(RegionSum(0) / 64), score.Curve[0], 1e-6);
        Assert.Equal(0.5, score.Curve[^1], 1e-6);
    }

    [Fact]
    public void The_trapezoid_rule_spans_zero_to_one_with_equal_spacing()
    {
        Assert.Equal(1.0, CausalMetric.Trapezoid(new[] { 1.0, 1.0, 1.0 }), 12);
        Assert.Equal(0.5, CausalMetric.Trapezoid(new[] { 0.0, 1.0 }), 12);
        Assert.Equal(0.25, CausalMetric.Trapezoid(new[] { 0.0, 0.0, 1.0 }), 12);
    }

    [Fact]
    public void A_map_with_nan_is_refused_naming_the_image()
    {
        var maps = Maps(RegionSaliency(1));
        maps[1].Map[100] = float.NaN;
        var error = Assert.Throws<InvalidDataException>(() => CausalMetric.Insertion().Score(model, images, maps));
        Assert.Contains($"image {images.Keys[1]}", error.Message);
    }

    [Fact]
    public void A_model_that_returns_nan_is_reported()
    {
        var broken = SyntheticModels.RegionMean(First, Last, double.NaN);
        var error = Assert.Throws<InvalidDataException>(() => CausalMetric.Deletion().Score(broken, images, Maps(RegionSaliency(1))));
        Assert.Contains("NaN", error.Message);
    }

    [Theory]
    [InlineData("grey")]
    [InlineData("blur:-2")]
    public void An_unknown_substrate_is_named(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => Substrate.Parse(text));
        Assert.Contains($"'{text}'", error.Message);
    }

    [Fact]
    public void The_mean_substrate_is_zero_in_normalised_space()
    {
        using var shipped = TestData.ShippedModel();
        using var scope = NewDisposeScope();
        var substrate = Substrate.Parse("mean").Create(TestData.FirstTestImages(2).ToTensor(), shipped);
        Assert.All(substrate.data<float>().ToArray(), v => Assert.Equal(FashionCnn.PixelMean[0], v));
    }

    float[][] RegionSaliency(int sign) => Enumerable.Range(0, images.Count).Select(i =>
    {
        var pixels = images.Image(i).ToArray();
        return pixels.Select((v, p) => InRegion(p) ? sign * (v + 1e-3f * (p % 7)) : 0f).ToArray();
    }).ToArray();

    IReadOnlyList<ImageAttribution> Maps(float[][] maps) =>
        maps.Select((m, i) => new ImageAttribution(images.Keys[i], 0, m, 0, null, 0, 0)).ToArray();

    /// <summary>AUC of the best (brightest region pixels first) or worst order, computed without the metric.</summary>
    double ComputedAuc(int image, bool deletion, bool best)
    {
        var pixels = images.Image(image).ToArray();
        var saliency = RegionSaliency(best ? 1 : -1)[image];
        var order = Enumerable.Range(0, 784).OrderByDescending(p => saliency[p]).ThenBy(p => p).ToArray();
        var curve = new double[29];
        for (var k = 0; k <= 28; k++)
        {
            var moved = order.Take(k * 28).Where(InRegion).Sum(p => (double)pixels[p]);
            var regionSum = deletion ? RegionSum(image) - moved : moved;
            curve[k] = Probability(regionSum / 64);
        }
        return CausalMetric.Trapezoid(curve);
    }

    double RegionSum(int image) => images.Image(image).ToArray().Where((_, p) => InRegion(p)).Sum(v => (double)v);

    static bool InRegion(int pixel) => pixel / 28 is >= First and <= Last && pixel % 28 is >= First and <= Last;

    static double Probability(double regionMean) => 1 / (1 + Math.Exp(-Gain * regionMean));
}
