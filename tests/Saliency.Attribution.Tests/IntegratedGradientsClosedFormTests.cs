using Saliency.Attribution.Baselines;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Quadrature;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

public class IntegratedGradientsClosedFormTests
{
    [Theory]
    [InlineData("black", "riemann_left")]
    [InlineData("white", "gausslegendre")]
    [InlineData("blur:2", "riemann_trapezoid")]
    [InlineData("uniform", "riemann_middle")]
    public void On_a_linear_model_attributions_are_weights_times_input_minus_baseline(string baselineName, string rule)
    {
        var (model, weights) = SyntheticModels.Linear(classes: 3, seed: 11);
        var images = TestData.FirstTestImages(4);
        var baseline = (ImageBaseline)Baseline.Parse(baselineName);
        var options = new IntegratedGradientsOptions { Baseline = baseline, Steps = 5, Rule = QuadratureRule.Parse(rule), Seed = 3 };

        var results = new IntegratedGradients(options).Attribute(model, images, Target.Class(1));

        using var scope = NewDisposeScope();
        var x = images.ToTensor();
        var expected = (weights[1].view(1, 1, 28, 28) * (x - baseline.Create(x, images.Keys, options.Seed))).flatten(1);
        for (var i = 0; i < images.Count; i++)
        {
            var want = expected[i].data<float>().ToArray();
            Assert.Equal(want, results[i].Map, (a, b) => Math.Abs(a - b) <= 1e-5f + 1e-4f * Math.Abs(a));
            Assert.True(Math.Abs(results[i].Completeness!.Delta) < 1e-4, $"delta {results[i].Completeness!.Delta}");
        }
    }

    [Fact]
    public void On_a_saturated_sigmoid_ig_recovers_the_closed_form_where_the_gradient_vanishes()
    {
        var (model, weights) = SyntheticModels.Saturating(seed: 5, scale: 0.2, bias: -2);
        var images = TestData.FirstTestImages(3);
        var options = new IntegratedGradientsOptions { Baseline = Baseline.Parse("black"), Steps = 256 };

        var results = new IntegratedGradients(options).Attribute(model, images, Target.Class(0));

        using var scope = NewDisposeScope();
        var x = images.ToTensor().flatten(1);
        var w = weights.view(1, -1);
        var (scores, gradients) = ClassScore.WithGradients(model, images.ToTensor(), zeros(3, ScalarType.Int64), ScoreKind.Logit);
        for (var i = 0; i < images.Count; i++)
        {
            var result = results[i];
            var change = result.Score - result.Completeness!.BaselineScore;
            var expected = (w * x[i] * (change / (w * x[i]).sum().item<float>())).view(-1).data<float>().ToArray();
            Assert.Equal(expected, result.Map, (a, b) => Math.Abs(a - b) <= 1e-6f + 1e-3f * Math.Abs(a));

            // Saturation: the plain gradient times the input explains almost none of the change IG accounts for.
            var gradientTimesInput = (gradients[i].flatten() * x[i]).sum().item<float>();
            Assert.True(result.Score > 0.99, $"score {result.Score} is not saturated");
            Assert.True(Math.Abs(gradientTimesInput) < 0.1 * Math.Abs(change), $"gradient×input {gradientTimesInput} vs change {change}");
        }
    }
}
