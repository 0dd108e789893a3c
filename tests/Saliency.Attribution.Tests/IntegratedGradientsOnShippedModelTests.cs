using System.Globalization;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Quadrature;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

public class IntegratedGradientsOnShippedModelTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    [Theory]
    [InlineData("black")]
    [InlineData("white")]
    [InlineData("blur:5")]
    [InlineData("max-distance")]
    public void At_300_steps_attributions_sum_to_the_score_change_within_one_percent(string baseline)
    {
        var images = TestData.FirstTestImages(16);
        var options = new IntegratedGradientsOptions { Baseline = Baseline.Parse(baseline), Steps = 300 };

        var results = new IntegratedGradients(options).Attribute(fixture.Model, images, Target.Predicted);

        Assert.Equal(16, results.Count);
        Assert.All(results, r => Assert.True(r.Completeness!.RelativeDelta(r.Score) <= 0.01,
            $"image {r.Key}: |delta| {Math.Abs(r.Completeness.Delta):G4} is {r.Completeness.RelativeDelta(r.Score):P2} of |F(x) − F(x′)|"));
    }

    [Theory]
    [InlineData("black")]
    [InlineData("blur:5")]
    public void Gauss_legendre_misses_completeness_by_less_than_riemann_left_at_equal_steps(string baseline)
    {
        var images = TestData.FirstTestImages(16);
        double MeanAbsoluteDelta(string rule) => new IntegratedGradients(new IntegratedGradientsOptions
        {
            Baseline = Baseline.Parse(baseline),
            Steps = 16,
            Rule = QuadratureRule.Parse(rule),
        })
            .Attribute(fixture.Model, images, Target.Predicted).Average(r => Math.Abs(r.Completeness!.Delta));

        var gaussLegendre = MeanAbsoluteDelta("gausslegendre");
        var riemannLeft = MeanAbsoluteDelta("riemann_left");

        Assert.True(gaussLegendre < riemannLeft, $"gausslegendre {gaussLegendre:G4} vs riemann_left {riemannLeft:G4}");
    }

    [Fact]
    public void The_result_does_not_depend_on_the_internal_batch_size()
    {
        var images = TestData.FirstTestImages(5);
        IReadOnlyList<ImageAttribution> Run(int batch) => new IntegratedGradients(new IntegratedGradientsOptions
        {
            Baseline = Baseline.Parse("gaussian:0.3"),
            Steps = 24,
            InternalBatchSize = batch,
            Seed = 9,
        }).Attribute(fixture.Model, images, Target.Predicted);

        var oneBatch = Run(1000);
        foreach (var batch in new[] { 1, 7, 64 })
        {
            var chunked = Run(batch);
            for (var i = 0; i < images.Count; i++)
            {
                Assert.Equal(oneBatch[i].Map, chunked[i].Map, (a, b) => Math.Abs(a - b) <= 1e-5f);
                Assert.Equal(oneBatch[i].Completeness!.Delta, chunked[i].Completeness!.Delta, 1e-5);
            }
        }
    }

    [Fact]
    public void Autograd_gradients_agree_with_central_finite_differences()
    {
        using var model = TestData.ShippedModel().To(ScalarType.Float64);
        using var scope = NewDisposeScope();
        // A little noise breaks the ties of flat backgrounds, where max pooling is not differentiable.
        random.manual_seed(8);
        var images = (TestData.FirstTestImages(2).ToTensor().to(ScalarType.Float64) + 0.02 * rand(2, 1, 28, 28, ScalarType.Float64)).clamp(0, 1);
        var targets = tensor(new long[] { 9, 2 });
        var (_, gradients) = ClassScore.WithGradients(model, images, targets, ScoreKind.Probability);

        var generator = new Random(4);
        const double h = 1e-6;
        for (var probe = 0; probe < 12; probe++)
        {
            var (image, row, column) = (probe % 2, generator.Next(2, 26), generator.Next(2, 26));
            double ScoreWith(double offset)
            {
                using var inner = NewDisposeScope();
                var shifted = images.clone();
                shifted[image, 0, row, column] = shifted[image, 0, row, column] + offset;
                return ClassScore.Of(model, shifted, targets, ScoreKind.Probability)[image].item<double>();
            }
            var finiteDifference = (ScoreWith(h) - ScoreWith(-h)) / (2 * h);
            var analytic = gradients[image, 0, row, column].item<double>();
            Assert.True(Math.Abs(finiteDifference - analytic) <= 1e-7 + 1e-4 * Math.Abs(analytic),
                $"pixel ({image}, {row}, {column}): finite difference {finiteDifference:G8}, autograd {analytic:G8}");
        }
    }

    [Fact]
    public void One_right_riemann_step_without_inputs_is_the_gradient_at_the_input()
    {
        var images = TestData.FirstTestImages(3);
        var result = new IntegratedGradients(new IntegratedGradientsOptions
        {
            Baseline = Baseline.Parse("black"),
            Steps = 1,
            Rule = QuadratureRule.Parse("riemann_right"),
            MultiplyByInputs = false,
        }).Attribute(fixture.Model, images, Target.Predicted);

        using var scope = NewDisposeScope();
        var targets = tensor(result.Select(r => (long)r.Target).ToArray());
        var (_, gradients) = ClassScore.WithGradients(fixture.Model, images.ToTensor(), targets, ScoreKind.Logit);
        for (var i = 0; i < images.Count; i++)
            Assert.Equal(gradients[i].flatten().data<float>().ToArray(), result[i].Map, (a, b) => Math.Abs(a - b) <= 1e-6f);
    }

    [Fact]
    public void Auto_steps_double_until_the_tolerance_holds_and_report_the_steps_used()
    {
        var images = TestData.FirstTestImages(8);
        var options = new IntegratedGradientsOptions
        {
            Baseline = Baseline.Parse("black"),
            Steps = 4,
            AutoSteps = true,
            AutoTolerance = 0.01,
            MaxSteps = 512,
            Rule = QuadratureRule.Parse("riemann_trapezoid"),
        };

        var results = new IntegratedGradients(options).Attribute(fixture.Model, images, Target.Predicted);

        Assert.All(results, r =>
        {
            Assert.Contains(r.Steps, new[] { 4, 8, 16, 32, 64, 128, 256, 512 });
            Assert.True(r.Completeness!.RelativeDelta(r.Score) <= 0.01 || r.Steps == 512);
        });
        Assert.Contains(results, r => r.Steps > 4);
        var image = results.First(r => r.Steps > 4);
        var position = Array.IndexOf(images.Keys, image.Key);
        var fixedRun = new IntegratedGradients(options with { AutoSteps = false, Steps = image.Steps })
            .Attribute(fixture.Model, images.Slice(position, 1), Target.Predicted)[0];
        Assert.Equal(fixedRun.Map, image.Map, (a, b) => Math.Abs(a - b) <= 1e-5f);
    }

    [Fact]
    public void Expected_gradients_approach_completeness_in_expectation()
    {
        var images = TestData.FirstTestImages(4);
        var training = TestData.FashionTest.Slice(5000, 2000);
        var options = new IntegratedGradientsOptions { Baseline = Baseline.Parse("expected:16", () => ImageCatalog.Of(training)), Steps = 1024, Seed = 1 };

        var results = new IntegratedGradients(options).Attribute(fixture.Model, images, Target.Predicted);

        Assert.True(results.Average(r => r.Completeness!.RelativeDelta(r.Score)) < 0.05,
            string.Join(", ", results.Select(r => r.Completeness!.RelativeDelta(r.Score).ToString("P2", CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Random_baselines_are_the_same_for_an_image_whatever_else_is_in_the_batch()
    {
        var options = new IntegratedGradientsOptions { Baseline = Baseline.Parse("uniform"), Steps = 8, Seed = 42 };
        var method = new IntegratedGradients(options);
        var together = method.Attribute(fixture.Model, TestData.FashionTest.Select(new[] { 3, 5 }), Target.Predicted);
        var apart = method.Attribute(fixture.Model, TestData.FashionTest.Select(new[] { 5, 9 }), Target.Predicted);

        // The same baseline drawn: the maps agree to the rounding of another batch's kernels, far closer than another seed's.
        Assert.Equal(together[1].Map.Select(v => (double)v), apart[0].Map.Select(v => (double)v), (a, b) => Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(a)));
        var reseeded = new IntegratedGradients(options with { Seed = 43 }).Attribute(fixture.Model, TestData.FashionTest.Select(new[] { 5 }), Target.Predicted);
        Assert.NotEqual(apart[0].Map, reseeded[0].Map);
    }
}
