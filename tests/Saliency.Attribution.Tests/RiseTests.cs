using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>
/// RISE's map against its definition on the masks it draws, and the masks against the paper's construction:
/// bilinear upsamplings of binary grids whose cells keep the image with probability p, seeded per image.
/// </summary>
public class RiseTests(ShippedModelFixture fixture) : IClassFixture<ShippedModelFixture>
{
    [Fact]
    public void On_a_linear_model_the_map_is_the_score_weighted_sum_of_the_masks_over_n_times_p()
    {
        var (model, weights) = SyntheticModels.Linear(classes: 3, seed: 6);
        var bias = model.Network.named_parameters().Single(p => p.name.EndsWith("bias", StringComparison.Ordinal)).parameter[2].item<float>();
        var images = TestData.FashionTest.Select(new[] { 7, 8 });
        var method = new Rise(new RiseOptions { Masks = 150, Probability = 0.4, Seed = 2 }, internalBatchSize: 32);

        var results = method.Attribute(model, images, Target.Class(2));

        using var scope = NewDisposeScope();
        var w = weights[2].to(float64);
        for (var i = 0; i < images.Count; i++)
        {
            // With a black fill F(x ⊙ Mᵢ) = Σⱼ wⱼ xⱼ Mᵢⱼ + b, so S = Mᵀ (M (w ⊙ x) + b) / (N p).
            var masks = method.Masks(images.Keys[i], 28, 28).view(150, 784);
            var x = tensor(images.Image(i).ToArray()).to(float64);
            var scores = masks.matmul(w * x) + bias;
            var expected = (scores.matmul(masks) / (150 * 0.4)).data<double>().ToArray();
            var scale = expected.Max(Math.Abs);
            Assert.Equal(expected, results[i].Map.Select(v => (double)v), (a, b) => Math.Abs(a - b) <= 1e-5 * scale);
            Assert.Equal(150, results[i].Steps);
        }
    }

    [Fact]
    public void With_every_cell_kept_the_map_is_the_score_everywhere()
    {
        var images = TestData.FirstTestImages(2);
        var results = new Rise(new RiseOptions { Masks = 20, Probability = 1 }).Attribute(fixture.Model, images, Target.Predicted);

        Assert.All(results, r => Assert.All(r.Map, v => Assert.Equal(r.Score, v, 1e-4 * Math.Max(1, Math.Abs(r.Score)))));
    }

    [Fact]
    public void Masks_keep_each_pixel_with_the_cells_probability_on_average()
    {
        const int count = 2000;
        using var scope = NewDisposeScope();
        var masks = new Rise(new RiseOptions { Masks = count, Probability = 0.3, Seed = 4 }).Masks(key: 11, 28, 28);

        Assert.InRange(masks.min().item<double>(), -1e-12, 1e-12);
        Assert.InRange(masks.max().item<double>(), 1 - 1e-12, 1 + 1e-12);
        // Each mask's mean is near the mean of its 49 independent cells, so the overall mean has a deviation near
        // √(p(1 − p) / 49 / N) ≈ 0.0015; the mean at one pixel, a mix of at most four cells, near √(p(1 − p) / N) ≈ 0.01.
        Assert.InRange(masks.mean().item<double>(), 0.3 - 0.006, 0.3 + 0.006);
        var perPixel = masks.mean(new long[] { 0 }).data<double>().ToArray();
        Assert.All(perPixel, m => Assert.InRange(m, 0.3 - 0.05, 0.3 + 0.05));
    }

    [Fact]
    public void Masks_are_bilinear_upsamplings_of_the_grid_so_neighbours_differ_by_at_most_one_upsampled_cell_step()
    {
        using var scope = NewDisposeScope();
        // 28 pixels on a 7-cell grid: cells of 4 pixels, upsampled from 7 to 32, so a step of 7/32 per pixel at most.
        var masks = new Rise(new RiseOptions { Masks = 200 }).Masks(key: 3, 28, 28).squeeze(1);
        var vertical = (masks[.., 1.., ..] - masks[.., ..^1, ..]).abs().max().item<double>();
        var horizontal = (masks[.., .., 1..] - masks[.., .., ..^1]).abs().max().item<double>();

        Assert.InRange(Math.Max(vertical, horizontal), 0.1, 7.0 / 32 + 1e-9);
    }

    [Fact]
    public void A_one_cell_grid_keeps_or_hides_the_whole_image()
    {
        using var scope = NewDisposeScope();
        var masks = new Rise(new RiseOptions { Masks = 400, Grid = 1, Probability = 0.5 }).Masks(key: 0, 28, 28).view(400, -1);
        var means = masks.mean(new long[] { 1 }).data<double>().ToArray();

        Assert.All(means, m => Assert.True(m is 0 or 1, $"a mask of mean {m}"));
        // Binomial(400, 0.5) keeps 200 ± 10; five deviations either side.
        Assert.InRange(means.Count(m => m == 1), 150, 250);
    }

    [Fact]
    public void The_map_of_an_image_depends_on_the_seed_and_the_image_alone_not_on_its_batch_or_neighbours()
    {
        var options = new RiseOptions { Masks = 100, Seed = 9 };
        var together = new Rise(options, internalBatchSize: 64).Attribute(fixture.Model, TestData.FashionTest.Select(new[] { 1, 2, 3 }), Target.Predicted);
        var alone = new Rise(options, internalBatchSize: 7).Attribute(fixture.Model, TestData.FashionTest.Select(new[] { 2 }), Target.Predicted);
        var reseeded = new Rise(options with { Seed = 10 }).Attribute(fixture.Model, TestData.FashionTest.Select(new[] { 2 }), Target.Predicted);

        Assert.Equal(together[1].Map, alone[0].Map, (a, b) => Math.Abs(a - b) <= 1e-4f + 1e-4f * Math.Abs(a));
        Assert.NotEqual(together[1].Map, reseeded[0].Map);
        Assert.NotEqual(together[0].Map, together[1].Map);
    }

    [Fact]
    public void Maps_are_shaped_like_the_input_and_the_same_on_every_channel()
    {
        var shape = new ImageShape(3, 9, 11);
        var (model, _) = SyntheticModels.Linear(classes: 2, seed: 1, shape);
        var pixels = Enumerable.Range(0, 2 * shape.Size).Select(i => (i % 17) / 17f).ToArray();
        var images = new ImageSet("rgb", shape, pixels, [0, 1], [0, 0]);

        var results = new Rise(new RiseOptions { Masks = 30, Grid = 4 }).Attribute(model, images, Target.Class(0));

        Assert.All(results, r =>
        {
            Assert.Equal(shape.Size, r.Map.Length);
            Assert.Equal(r.Map[..99], r.Map[99..198]);
            Assert.Equal(r.Map[..99], r.Map[198..]);
        });
    }

    [Theory]
    [InlineData(0, 7, 0.5)]
    [InlineData(10, 0, 0.5)]
    [InlineData(10, 7, 0)]
    [InlineData(10, 7, 1.5)]
    public void Options_outside_their_ranges_are_refused(int masks, int grid, double probability)
    {
        var method = new Rise(new RiseOptions { Masks = masks, Grid = grid, Probability = probability });
        Assert.Throws<ArgumentOutOfRangeException>(() => method.Attribute(fixture.Model, TestData.FirstTestImages(1), Target.Predicted));
    }
}
