using Saliency.Attribution.Data;
using Saliency.Attribution.Imaging;
using Saliency.Attribution.Methods;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>
/// Blur IG against its discretisation: with σᵢ = i·σmax/n, the map is −Σᵢ Δσ·(x(σᵢ + h) − x(σᵢ))/h ⊙ ∇F(x(σᵢ)), both
/// blurs of a difference with the kernel radius of σᵢ + h. On F(x) = W (x − m)/s + b the gradient is w/s everywhere, so
/// the map is w/s times a sum of blurred images, and with h = Δσ that sum telescopes to x − x(σmax) but for the kernel
/// tails where the radius grows.
/// </summary>
public class BlurIntegratedGradientsTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    static readonly ImageShape Tiny = new(2, 7, 8);
    static readonly float[] Mean = [0.3f, 0.6f], Std = [0.5f, 2f];

    static ImageSet TinyImages(int count, int seed) => TestData.RandomImages(Tiny, count, seed);

    static double[] Blurred(ImageSet images, int position, double sigma, BlurBorder border = BlurBorder.Replicate, int? radius = null)
    {
        using var scope = NewDisposeScope();
        var x = tensor(images.Image(position).ToArray(), new long[] { 1, Tiny.Channels, Tiny.Height, Tiny.Width }).to(float64);
        return (sigma == 0 ? x : GaussianBlur.Apply(x, sigma, border, radius)).flatten().data<double>().ToArray();
    }

    /// <summary>∂F/∂xᵢ of the linear model for class <paramref name="target"/>: wᵢ / s of xᵢ's channel.</summary>
    static double[] Slope(TorchSharp.torch.Tensor weights, int target)
    {
        var w = weights[target].data<float>().ToArray();
        return w.Select((v, i) => v / (double)Std[i / (Tiny.Height * Tiny.Width)]).ToArray();
    }

    [Fact]
    public void With_a_grad_step_equal_to_the_sigma_step_a_linear_models_map_telescopes_but_for_the_kernel_tails_where_the_radius_grows()
    {
        var (model, weights) = SyntheticModels.Linear(classes: 3, seed: 5, Tiny, Mean, Std);
        var images = TinyImages(2, seed: 1);
        var options = new BlurIntegratedGradientsOptions { MaxSigma = 2, Steps = 8, GradStep = 0.25, InternalBatchSize = 5 };

        var results = new BlurIntegratedGradients(options).Attribute(model, images, Target.Class(2));

        var slope = Slope(weights, 2);
        for (var i = 0; i < images.Count; i++)
        {
            // Step k blurs σₖ and σₖ₊₁ with the radius of σₖ₊₁, so σₖ is blurred with two radii when it grows at σₖ;
            // the sum keeps x_rₖ(σₖ) − x_rₖ₋₁(σₖ), the tail the narrower kernel left out.
            var (x, end) = (Blurred(images, i, 0), Blurred(images, i, 2));
            var expected = slope.Select((g, p) => g * (x[p] - end[p])).ToArray();
            for (var k = 1; k < 8; k++)
            {
                var sigma = k * 0.25;
                var (wider, narrower) = (Blurred(images, i, sigma, radius: GaussianBlur.Radius(sigma + 0.25)), Blurred(images, i, sigma, radius: GaussianBlur.Radius(sigma)));
                for (var p = 0; p < expected.Length; p++) expected[p] += slope[p] * (wider[p] - narrower[p]);
            }
            Assert.Equal(expected, results[i].Map.Select(v => (double)v), (a, b) => Math.Abs(a - b) < 1e-5);
            Assert.Equal(8, results[i].Steps);
        }
    }

    [Theory]
    [InlineData(BlurBorder.Replicate)]
    [InlineData(BlurBorder.Zero)]
    public void On_a_linear_model_the_map_is_the_references_finite_difference_sum_over_sigma_with_the_radius_held_within_each_difference(BlurBorder border)
    {
        var (model, weights) = SyntheticModels.Linear(classes: 3, seed: 8, Tiny, Mean, Std);
        var images = TinyImages(2, seed: 4);
        // σ = 1 is on the path: ⌈3σ⌉ grows from 3 to 4 between σ and σ + h.
        var (maxSigma, steps, h) = (1.5, 6, 0.01);
        var options = new BlurIntegratedGradientsOptions { MaxSigma = maxSigma, Steps = steps, GradStep = h, Border = border };

        var results = new BlurIntegratedGradients(options).Attribute(model, images, Target.Class(0));

        var slope = Slope(weights, 0);
        var step = maxSigma / steps;
        for (var i = 0; i < images.Count; i++)
        {
            var expected = new double[Tiny.Size];
            for (var k = 0; k < steps; k++)
            {
                var radius = GaussianBlur.Radius(k * step + h);
                var (here, ahead) = (Blurred(images, i, k * step, border, radius), Blurred(images, i, k * step + h, border, radius));
                for (var p = 0; p < expected.Length; p++) expected[p] -= step * (ahead[p] - here[p]) / h * slope[p];
            }
            Assert.Equal(expected, results[i].Map.Select(v => (double)v), (a, b) => Math.Abs(a - b) < 1e-4 + 1e-4 * Math.Abs(a));
        }
    }

    /// <summary>
    /// The blur of a delta is the kernel k(i)·k(j), k(d) = e^(−d²/2σ²)/Σₑ e^(−e²/2σ²) over |d| ≤ r, whose derivative in σ is
    /// k(d)·(d² − Σₑ k(e)·e²)/σ³. The forward difference is the derivative at σ + h/2 to O(h²); a radius that grew within
    /// the difference would add the new taps, divided by h (about 9e-3 at σ = 1 and 2, 3.5e-3 at σ = ⅔).
    /// </summary>
    [Theory]
    [InlineData(2.0 / 3)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(2.0)]
    public void The_slope_of_a_delta_is_the_derivative_of_its_kernel_in_sigma_even_where_the_radius_grows(double sigma)
    {
        const double h = 0.01;
        const int side = 17, centre = 8;
        using var scope = NewDisposeScope();
        var delta = zeros(1, 1, side, side, float64);
        delta[0, 0, centre, centre] = 1;

        var (_, slope) = BlurIntegratedGradients.PathAt(delta, sigma, h, BlurBorder.Replicate);

        var (radius, middle) = (GaussianBlur.Radius(sigma + h), sigma + h / 2);
        var weights = Enumerable.Range(-radius, 2 * radius + 1).Select(d => Math.Exp(-d * d / (2 * middle * middle))).ToArray();
        var kernel = weights.Select(w => w / weights.Sum()).ToArray();
        var spread = kernel.Select((k, i) => k * (i - radius) * (i - radius)).Sum();
        var derivative = kernel.Select((k, i) => k * ((i - radius) * (i - radius) - spread) / Math.Pow(middle, 3)).ToArray();
        var expected = new double[side * side];
        for (var i = 0; i <= 2 * radius; i++)
            for (var j = 0; j <= 2 * radius; j++)
                expected[(centre - radius + i) * side + centre - radius + j] = derivative[i] * kernel[j] + kernel[i] * derivative[j];
        var tolerance = 1e-3 * expected.Max(Math.Abs);
        Assert.Equal(expected, slope.flatten().data<double>().ToArray(), (a, b) => Math.Abs(a - b) < tolerance);
    }

    [Fact]
    public void The_slope_is_smooth_in_sigma_across_a_growth_of_the_kernel_radius()
    {
        const double h = 0.01;
        using var scope = NewDisposeScope();
        var image = TestData.FashionTest.Select(new[] { 0 }).ToTensor().to(float64);
        // σ from 0.96 to 1.04: ⌈3σ⌉ grows from 3 to 4 at σ = 1, inside the difference from 1 to 1.01.
        var slopes = Enumerable.Range(96, 9).Select(c => BlurIntegratedGradients.PathAt(image, c / 100.0, h, BlurBorder.Replicate).Slope).ToArray();

        // The change of the slope from one σ to the next is about h·∂²x/∂σ², which barely moves over 0.08; a jump in the
        // blur would show as one change several times the others (4.5 times here with ⌈3σ⌉ at each end).
        var changes = slopes.Zip(slopes.Skip(1), (a, b) => (b - a).abs().max().item<double>()).ToArray();
        Assert.True(changes.Max() < 1.5 * changes.Min(), $"changes of the slope between neighbouring σ: " +
            $"{string.Join(", ", changes.Select(c => c.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public void Attributions_sum_to_the_score_drop_from_the_blurred_start_ever_closer_as_steps_grow()
    {
        var images = TestData.FashionTest.Select(new[] { 0, 1, 2 });
        double Error(int steps, IReadOnlyList<ImageAttribution> results) => results.Average(r => r.Completeness!.RelativeDelta(r.Score));

        var coarse = new BlurIntegratedGradients(new BlurIntegratedGradientsOptions { Steps = 10 }).Attribute(fixture.Model, images, Target.Predicted);
        var fine = new BlurIntegratedGradients(new BlurIntegratedGradientsOptions { Steps = 200 }).Attribute(fixture.Model, images, Target.Predicted);

        using var scope = NewDisposeScope();
        var blurred = GaussianBlur.Apply(images.ToTensor(), 6.25);
        var blurredScores = ClassScore.AllClasses(fixture.Model, blurred, ScoreKind.Logit, 8);
        for (var i = 0; i < images.Count; i++)
        {
            var completeness = fine[i].Completeness!;
            Assert.Equal(blurredScores[i, fine[i].Target].item<float>(), completeness.BaselineScore, 1e-4);
            Assert.Equal(completeness.AttributionSum, fine[i].Map.Sum(v => (double)v), 1e-3);
            Assert.Equal(completeness.AttributionSum - (fine[i].Score - completeness.BaselineScore), completeness.Delta, 1e-9);
        }
        Assert.True(Error(200, fine) < Error(10, coarse) / 3, $"relative delta {Error(200, fine):G3} at 200 steps, {Error(10, coarse):G3} at 10");
        Assert.True(Error(200, fine) < 0.05, $"relative delta {Error(200, fine):G3} at 200 steps");
    }

    [Theory]
    [InlineData(28, 6.25)]
    [InlineData(224, 50)]
    [InlineData(32, 50.0 * 32 / 224)]
    public void Max_sigma_is_the_references_50_pixels_scaled_to_the_shorter_side_by_default(int side, double sigma)
    {
        Assert.Equal(sigma, new BlurIntegratedGradientsOptions().ResolveMaxSigma(side, side + 10), 12);
        Assert.Equal(3, new BlurIntegratedGradientsOptions { MaxSigma = 3 }.ResolveMaxSigma(side, side));
    }

    [Fact]
    public void Maps_of_the_shipped_model_have_the_images_shape_and_do_not_depend_on_the_batch_or_the_other_images()
    {
        var options = new BlurIntegratedGradientsOptions { Steps = 12 };
        var together = new BlurIntegratedGradients(options).Attribute(fixture.Model, TestData.FashionTest.Select(new[] { 4, 5, 6 }), Target.Predicted);
        var alone = new BlurIntegratedGradients(options with { InternalBatchSize = 5 }).Attribute(fixture.Model, TestData.FashionTest.Select(new[] { 5 }), Target.Predicted);

        Assert.All(together, r => Assert.Equal(784, r.Map.Length));
        Assert.All(together, r => Assert.Equal(12, r.Steps));
        Assert.Equal(together[1].Map, alone[0].Map, (a, b) => Math.Abs(a - b) <= 1e-4f + 1e-4f * Math.Abs(a));
        Assert.Contains(together[1].Map, v => v != 0);
    }

    [Fact]
    public void A_border_that_is_neither_replicate_nor_zero_is_refused()
    {
        var method = new BlurIntegratedGradients(new BlurIntegratedGradientsOptions { Border = (BlurBorder)7 });

        Assert.Contains("border must be replicate or zero", Assert.Throws<ArgumentOutOfRangeException>(() => method.Attribute(fixture.Model, TestData.FirstTestImages(1), Target.Predicted)).Message);
    }

    [Theory]
    [InlineData(0.0, 10, 0.01, "max_sigma must be positive")]
    [InlineData(2.0, 0, 0.01, "steps must be at least 1")]
    [InlineData(2.0, 10, 0.0, "grad_step must be positive")]
    public void Options_that_cannot_build_a_path_are_refused(double maxSigma, int steps, double gradStep, string message)
    {
        var method = new BlurIntegratedGradients(new BlurIntegratedGradientsOptions { MaxSigma = maxSigma, Steps = steps, GradStep = gradStep });

        Assert.Contains(message, Assert.Throws<ArgumentOutOfRangeException>(() => method.Attribute(fixture.Model, TestData.FirstTestImages(1), Target.Predicted)).Message);
    }
}
