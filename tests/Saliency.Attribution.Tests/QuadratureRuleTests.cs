using Saliency.Attribution.Quadrature;

namespace Saliency.Attribution.Tests;

public class QuadratureRuleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(64)]
    public void Gauss_legendre_integrates_polynomials_up_to_degree_2n_minus_1_exactly(int n)
    {
        var (alphas, weights) = QuadratureRule.Parse("gausslegendre").Points(n);
        for (var degree = 0; degree <= 2 * n - 1; degree++)
        {
            var integral = alphas.Zip(weights, (a, w) => w * Math.Pow(a, degree)).Sum();
            Assert.Equal(1.0 / (degree + 1), integral, 1e-12);
        }
    }

    [Fact]
    public void Three_point_gauss_legendre_matches_the_closed_form()
    {
        var (nodes, weights) = GaussLegendre.OnSymmetricInterval(3);
        Assert.Equal(new[] { -Math.Sqrt(0.6), 0, Math.Sqrt(0.6) }, nodes, (a, b) => Math.Abs(a - b) < 1e-14);
        Assert.Equal(new[] { 5.0 / 9, 8.0 / 9, 5.0 / 9 }, weights, (a, b) => Math.Abs(a - b) < 1e-14);
    }

    [Theory]
    [InlineData("riemann_left", new[] { 0.0, 0.25, 0.5, 0.75 })]
    [InlineData("riemann_right", new[] { 0.25, 0.5, 0.75, 1.0 })]
    [InlineData("riemann_middle", new[] { 0.125, 0.375, 0.625, 0.875 })]
    [InlineData("riemann_trapezoid", new[] { 0.0, 1.0 / 3, 2.0 / 3, 1.0 })]
    public void Riemann_rules_place_their_points_as_captum_does(string rule, double[] expected)
    {
        var (alphas, weights) = QuadratureRule.Parse(rule).Points(4);
        Assert.Equal(expected, alphas, (a, b) => Math.Abs(a - b) < 1e-15);
        Assert.Equal(1.0, weights.Sum(), 1e-15);
    }

    [Fact]
    public void Trapezoid_halves_the_end_weights()
    {
        var (_, weights) = QuadratureRule.Parse("riemann_trapezoid").Points(5);
        Assert.Equal(new[] { 0.125, 0.25, 0.25, 0.25, 0.125 }, weights);
    }

    [Fact]
    public void An_unknown_rule_is_named_in_the_error()
    {
        var error = Assert.Throws<ArgumentException>(() => QuadratureRule.Parse("simpson"));
        Assert.Contains("'simpson'", error.Message);
        Assert.Contains("gausslegendre", error.Message);
    }

    [Fact]
    public void Zero_steps_are_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => QuadratureRule.Default.Points(0));
        Assert.Contains("got 0", error.Message);
    }
}
