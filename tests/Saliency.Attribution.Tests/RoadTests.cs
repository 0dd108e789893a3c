using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using Saliency.Attribution.Output;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>
/// ROAD's linear imputation against the reference's (Fixtures/road-imputation, made by Fixtures/make_road_imputation.py
/// with tleemann/road_evaluation) and against closed forms, and ROAD's curves where every imputed value is known.
/// </summary>
public class RoadTests
{
    static (float[] Values, int[] Shape) Fixture(string name) => NpyFile.Read(TestData.Fixture(Path.Combine("road-imputation", $"{name}.npy")));

    static Tensor Tensor((float[] Values, int[] Shape) array) => tensor(array.Values, [.. array.Shape.Select(d => (long)d)]);

    [Fact]
    public void Linear_imputation_agrees_with_the_reference_solver_on_holes_borders_and_a_single_kept_pixel()
    {
        var (image, removed, expected) = (Fixture("image"), Fixture("removed"), Fixture("imputed"));
        using var scope = NewDisposeScope();
        var masks = Tensor(removed) > 0.5;
        var ours = LinearImputation.Impute(Tensor(image).expand(masks.shape[0], -1, -1, -1), masks).to(float32).data<float>().ToArray();

        Assert.Equal(expected.Values.Length, ours.Length);
        var worst = expected.Values.Zip(ours, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 2e-6, $"largest difference from the reference {worst}");
    }

    [Fact]
    public void A_linear_ramp_is_its_own_imputation_away_from_the_border_and_kept_pixels_stay_as_they_were()
    {
        using var scope = NewDisposeScope();
        var (height, width) = (20, 24);
        var ramp = (arange(height, float64).view(1, 1, -1, 1) * 0.03 + arange(width, float64).view(1, 1, 1, -1) * -0.02 + 0.7)
            .expand(1, 2, height, width).contiguous();
        var removed = zeros(1, 1, height, width, ScalarType.Bool);
        removed[.., .., 3..17, 2..11] = true;
        removed[.., .., 8..12, 15..22] = true;

        var imputed = LinearImputation.Impute(ramp, removed);

        Assert.True((imputed - ramp).abs().max().item<double>() < 1e-8);
    }

    [Fact]
    public void Imputation_refuses_an_image_with_no_pixel_kept()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => LinearImputation.Impute(rand(2, 1, 4, 4), ones(2, 1, 4, 4, ScalarType.Bool)));
        Assert.Contains("at least one kept pixel", error.Message);
    }

    /// <summary>
    /// On a 2 × 2 image [[p0, p1], [p2, p3]] every imputation has a closed form: one removed pixel takes
    /// (2 × its two side neighbours + its diagonal) / 5; a removed diagonal pair takes the mean of the other two; three
    /// removed take the one kept. The model's class-0 probability is σ(w·x).
    /// </summary>
    [Fact]
    public void Morf_and_lerf_curves_on_a_tiny_image_equal_the_closed_form_imputations()
    {
        using var scope = NewDisposeScope();
        var shape = new ImageShape(1, 2, 2);
        var w = new[] { 1.5f, -2.0f, 0.5f, 3.0f };
        var linear = nn.Linear(4, 2);
        using (no_grad())
        {
            linear.weight!.copy_(tensor(w.Concat(new float[4]).ToArray(), [2, 4]));
            linear.bias!.zero_();
        }
        using var model = new ImageClassifier(new ModelSpec("tiny-linear", shape, null, null, []), nn.Sequential(nn.Flatten(), linear));
        var p = new[] { 0.2, 0.9, 0.4, 0.6 };
        var images = new ImageSet("tiny", shape, p.Select(v => (float)v).ToArray(), [0], [0]);
        // The map ranks p0, p3, p1, p2.
        var map = new ImageAttribution(0, 0, [4f, 2f, 1f, 3f], 0, null, 1, 0);

        var score = new Road([0.25, 0.5, 0.75], noise: 0).Score(model, images, [map]).Single();

        double Probability(params double[] x) => 1 / (1 + Math.Exp(-x.Select((v, i) => v * w[i]).Sum()));
        var (a, b) = ((p[1] + p[2]) / 2, (p[0] + p[3]) / 2);
        double[] morf =
        [
            Probability((2 * p[1] + 2 * p[2] + p[3]) / 5, p[1], p[2], p[3]),
            Probability(a, p[1], p[2], a),
            Probability(p[2], p[2], p[2], p[2]),
        ];
        double[] lerf =
        [
            Probability(p[0], p[1], (2 * p[0] + 2 * p[3] + p[1]) / 5, p[3]),
            Probability(p[0], b, b, p[3]),
            Probability(p[0], p[0], p[0], p[0]),
        ];
        Assert.Equal(morf, score.MorfCurve, (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal(lerf, score.LerfCurve, (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal(morf.Average(), score.Morf, 6);
        Assert.Equal(lerf.Average(), score.Lerf, 6);
    }

    [Fact]
    public void The_noise_follows_the_seed_and_the_image_so_every_trial_imputes_the_same_values()
    {
        using var model = TestData.ShippedModel();
        var images = TestData.FirstTestImages(3);
        var maps = new VanillaGradient().Attribute(model, images, Target.Predicted);
        var reordered = images.Slice(1, 2);

        var all = new Road(seed: 4).Score(model, images, maps);
        var again = new Road(seed: 4).Score(model, reordered, maps.Skip(1).ToList());
        var otherSeed = new Road(seed: 5).Score(model, images, maps);
        var noiseless = new Road(noise: 0, seed: 4).Score(model, images, maps);

        Assert.Equal(all.Skip(1).Select(s => s.Morf), again.Select(s => s.Morf));
        Assert.Equal(all.Skip(1).Select(s => s.Lerf), again.Select(s => s.Lerf));
        Assert.NotEqual(all.Select(s => s.Morf), otherSeed.Select(s => s.Morf));
        // The noise is small: 0.01 of the pixel range moves no probability far.
        Assert.All(all.Zip(noiseless), pair => Assert.InRange(pair.First.Morf - pair.Second.Morf, -0.05, 0.05));
    }

    /// <summary>
    /// Imputing randomly scattered pixels from their neighbours is easy, so a random map keeps a high LeRF: the LeRF
    /// comparison is with the map turned upside down, whose least relevant pixels are IG's most relevant.
    /// </summary>
    [Fact]
    public void Integrated_gradients_remove_what_the_shipped_model_needs_sooner_than_a_random_or_inverted_map()
    {
        using var model = TestData.ShippedModel();
        var images = TestData.FirstTestImages(8);
        var ig = new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("black") }).Attribute(model, images, Target.Predicted);
        var inverted = ig.Select(m => m with { Map = m.Map.Select(v => -v).ToArray() }).ToList();
        var random = new RandomMap(seed: 3).Attribute(model, images, Target.Predicted);
        var road = new Road(seed: 1);

        var (ofIg, ofInverted, ofRandom) = (road.Score(model, images, ig), road.Score(model, images, inverted), road.Score(model, images, random));

        Assert.True(ofIg.Average(s => s.Morf) < ofRandom.Average(s => s.Morf),
            $"IG's MoRF {ofIg.Average(s => s.Morf)} should fall below a random map's {ofRandom.Average(s => s.Morf)}");
        Assert.True(ofIg.Average(s => s.Morf) < ofInverted.Average(s => s.Morf),
            $"IG's MoRF {ofIg.Average(s => s.Morf)} should fall below the inverted map's {ofInverted.Average(s => s.Morf)}");
        Assert.True(ofIg.Average(s => s.Lerf) > ofInverted.Average(s => s.Lerf),
            $"IG's LeRF {ofIg.Average(s => s.Lerf)} should stay above the inverted map's {ofInverted.Average(s => s.Lerf)}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    public void A_fraction_outside_zero_to_one_is_refused(double fraction)
    {
        var error = Assert.Throws<ArgumentException>(() => new Road([0.5, fraction]));
        Assert.Contains($"fraction {fraction}", error.Message);
    }
}
