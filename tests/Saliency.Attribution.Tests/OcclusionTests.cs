using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;

namespace Saliency.Attribution.Tests;

/// <summary>
/// Occlusion against its closed form on linear models: with F(x) = W (x − m) / s + b, hiding the pixels of window P
/// behind a fill f drops the score by d_P = Σ_{i∈P} wᵢ (xᵢ − fᵢ) / sᵢ, and each pixel's attribution is the mean of
/// d_P over the windows that cover it, on every channel alike.
/// </summary>
public class OcclusionTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    static readonly ImageShape Tiny = new(2, 5, 6);
    static readonly float[] Mean = [0.3f, 0.6f], Std = [0.5f, 2f];

    static ImageSet TinyImages(int count, int seed) => TestData.RandomImages(Tiny, count, seed);

    /// <summary>The closed form, written out over windows as the definition reads.</summary>
    static double[] Expected(float[] w, float[] x, float[] fill, float[] std, int window, IReadOnlyList<int> rows, IReadOnlyList<int> columns)
    {
        var (channels, height, width) = (Tiny.Channels, Tiny.Height, Tiny.Width);
        var (sum, count) = (new double[height * width], new int[height * width]);
        foreach (var top in rows)
            foreach (var left in columns)
            {
                var drop = 0.0;
                for (var c = 0; c < channels; c++)
                    for (var r = top; r < top + window; r++)
                        for (var q = left; q < left + window; q++)
                        {
                            var i = (c * height + r) * width + q;
                            drop += w[i] * ((double)x[i] - fill[c]) / std[c];
                        }
                for (var r = top; r < top + window; r++)
                    for (var q = left; q < left + window; q++)
                    {
                        sum[r * width + q] += drop;
                        count[r * width + q]++;
                    }
            }
        var plane = sum.Select((s, p) => s / count[p]).ToArray();
        return Enumerable.Range(0, channels).SelectMany(_ => plane).ToArray();
    }

    [Theory]
    [InlineData("black")]
    [InlineData("mean")]
    public void On_a_linear_model_each_pixel_gets_the_mean_drop_of_the_windows_that_cover_it(string fill)
    {
        var (model, weights) = SyntheticModels.Linear(classes: 3, seed: 5, Tiny, Mean, Std);
        var images = TinyImages(2, seed: 1);
        // Rows start at 0 and 2 and, flush with the edge, 3; columns at 0, 2 and 4.
        var method = new Occlusion(new OcclusionOptions { Window = 2, Stride = 2, Fill = Substrate.Parse(fill) }, internalBatchSize: 4);

        var results = method.Attribute(model, images, Target.Class(1));

        var w = weights[1].data<float>().ToArray();
        var fills = fill == "black" ? new float[] { 0, 0 } : Mean;
        for (var i = 0; i < images.Count; i++)
        {
            var expected = Expected(w, images.Image(i).ToArray(), fills, Std, 2, [0, 2, 3], [0, 2, 4]);
            Assert.Equal(expected, results[i].Map.Select(v => (double)v), (a, b) => Math.Abs(a - b) < 1e-5);
            Assert.Equal(9, results[i].Steps);
        }
    }

    [Fact]
    public void A_one_pixel_window_with_stride_one_on_a_black_fill_gives_weight_times_pixel()
    {
        var (model, weights) = SyntheticModels.Linear(classes: 2, seed: 3);
        var images = TestData.FirstTestImages(2);
        var method = new Occlusion(new OcclusionOptions { Window = 1, Stride = 1, Fill = Substrate.Parse("black") }, internalBatchSize: 256);

        var results = method.Attribute(model, images, Target.Class(0));

        var w = weights[0].data<float>().ToArray();
        for (var i = 0; i < images.Count; i++)
        {
            var x = images.Image(i).ToArray();
            Assert.Equal(w.Select((v, p) => v * x[p]).ToArray(), results[i].Map, (a, b) => Math.Abs(a - b) < 1e-5f);
            Assert.Equal(784, results[i].Steps);
        }
    }

    [Theory]
    [InlineData(28, 4, 2, 13)]
    [InlineData(224, 32, 16, 13)]
    [InlineData(32, 5, 2, 15)]
    [InlineData(3, 1, 1, 3)]
    public void The_window_is_a_seventh_of_the_side_and_the_stride_half_the_window_by_default(int side, int window, int stride, int starts)
    {
        var options = new OcclusionOptions();

        Assert.Equal((window, stride), options.Resolve(side, side));
        Assert.Equal(starts, OcclusionOptions.Starts(side, window, stride).Count);
        Assert.Equal(starts * starts, options.Windows(new ImageShape(3, side, side)));
    }

    [Fact]
    public void Windows_end_flush_with_the_far_edge_when_the_stride_does_not_land_there()
    {
        Assert.Equal([0, 3, 6, 7], OcclusionOptions.Starts(10, 3, 3));
        Assert.Equal([0, 2, 4, 6], OcclusionOptions.Starts(8, 2, 2));
        Assert.Equal([0], OcclusionOptions.Starts(5, 5, 2));
    }

    [Fact]
    public void A_window_larger_than_the_image_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Occlusion(new OcclusionOptions { Window = 29 }).Attribute(fixture.Model, TestData.FirstTestImages(1), Target.Predicted));
        Assert.Contains("window 29 is larger than the 28×28 image", error.Message);
    }

    [Fact]
    public void Maps_of_the_shipped_model_have_the_images_shape_and_do_not_depend_on_the_batch_or_the_other_images()
    {
        var images = TestData.FashionTest.Select(new[] { 4, 5, 6 });
        var together = new Occlusion(internalBatchSize: 64).Attribute(fixture.Model, images, Target.Predicted);
        var alone = new Occlusion(internalBatchSize: 7).Attribute(fixture.Model, TestData.FashionTest.Select(new[] { 5 }), Target.Predicted);

        Assert.All(together, r => Assert.Equal(784, r.Map.Length));
        Assert.All(together, r => Assert.Equal(169, r.Steps));
        Assert.Equal(together[1].Map, alone[0].Map, (a, b) => Math.Abs(a - b) <= 1e-4f + 1e-4f * Math.Abs(a));
        Assert.Contains(together[1].Map, v => v != 0);
    }
}
