using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;

namespace Saliency.Attribution.Tests;

public class BadInputTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    [Theory]
    [InlineData("blackish", "unknown baseline 'blackish'")]
    [InlineData("blur:-1", "'blur:-1'")]
    [InlineData("gaussian:x", "'gaussian:x'")]
    [InlineData("expected:0", "'expected:0'")]
    [InlineData("black:3", "unknown baseline 'black:3'")]
    public void A_malformed_baseline_is_named(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => Baseline.Parse(text, () => ImageCatalog.Of(TestData.FashionTest)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Zero_steps_are_refused_before_any_work()
    {
        var method = new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("black"), Steps = 0 });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => method.Attribute(fixture.Model, TestData.FirstTestImages(1), Target.Predicted));
        Assert.Contains("steps must be at least 1, got 0", error.Message);
    }

    [Fact]
    public void Images_of_the_wrong_channel_count_name_both_shapes()
    {
        var rgb = new ImageSet("rgb-images", new ImageShape(3, 28, 28), new float[3 * 784], new[] { 0 }, new[] { 0 });
        var method = new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("black") });

        var error = Assert.Throws<ArgumentException>(() => method.Attribute(fixture.Model, rgb, Target.Predicted));

        Assert.Contains("3×28×28", error.Message);
        Assert.Contains("1×28×28", error.Message);
        Assert.Contains("rgb-images", error.Message);
    }

    [Fact]
    public void Images_of_the_wrong_size_name_both_shapes()
    {
        var large = new ImageSet("large-images", new ImageShape(1, 32, 32), new float[1024], new[] { 0 }, new[] { 0 });
        var error = Assert.Throws<ArgumentException>(() =>
            new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("black") }).Attribute(fixture.Model, large, Target.Predicted));
        Assert.Contains("1×32×32", error.Message);
    }

    [Fact]
    public void A_target_outside_the_classes_is_named()
    {
        var method = new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("black"), Steps = 2 });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => method.Attribute(fixture.Model, TestData.FirstTestImages(1), Target.Class(12)));
        Assert.Contains("target class 12", error.Message);
    }

    [Fact]
    public void An_unknown_target_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => Target.Parse("best"));
        Assert.Contains("'best'", error.Message);
    }
}
