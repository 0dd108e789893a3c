using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;

namespace Saliency.Attribution.Tests;

/// <summary>Sparseness, complexity and the edge control: closed forms on maps and images whose answer is known.</summary>
public class MapPropertyTests
{
    [Fact]
    public void A_uniform_map_has_no_sparseness_and_the_most_complexity()
    {
        var map = Enumerable.Repeat(0.25f, 784).ToArray();

        Assert.Equal(0, MapStatistics.Sparseness(map), 12);
        Assert.Equal(Math.Log(784), MapStatistics.Complexity(map), 12);
    }

    [Fact]
    public void A_map_on_one_element_has_the_most_sparseness_and_no_complexity_whatever_its_sign()
    {
        var map = new float[100];
        map[37] = -3;

        Assert.Equal(99 / 100.0, MapStatistics.Sparseness(map), 12);
        Assert.Equal(0, MapStatistics.Complexity(map), 12);
    }

    [Fact]
    public void Half_the_mass_on_each_of_two_elements_gives_ln_2_and_the_gini_of_two_equal_cells_among_n()
    {
        var map = new float[10];
        (map[1], map[8]) = (2, -2);

        Assert.Equal(Math.Log(2), MapStatistics.Complexity(map), 12);
        // Sorted ascending, the two cells are k = 9 and 10: ((2·9 − 11) + (2·10 − 11))·2 / (10 · 4) = 0.8.
        Assert.Equal(0.8, MapStatistics.Sparseness(map), 12);
    }

    [Fact]
    public void Both_are_invariant_to_the_scale_of_the_map()
    {
        var random = new Random(5);
        var map = Enumerable.Range(0, 300).Select(_ => (float)random.NextDouble() - 0.3f).ToArray();
        var scaled = map.Select(v => v * 40).ToArray();

        Assert.Equal(MapStatistics.Sparseness(map), MapStatistics.Sparseness(scaled), 6);
        Assert.Equal(MapStatistics.Complexity(map), MapStatistics.Complexity(scaled), 6);
    }

    [Fact]
    public void An_all_zero_map_counts_as_uniform()
    {
        Assert.Equal(0, MapStatistics.Sparseness(new float[50]));
        Assert.Equal(Math.Log(50), MapStatistics.Complexity(new float[50]), 12);
    }

    [Fact]
    public void The_edge_map_of_a_vertical_step_is_four_on_the_two_columns_beside_it_and_zero_elsewhere()
    {
        // Columns 0-13 dark, 14-27 bright: Sobel's x kernel sums 1 + 2 + 1 across the step, its y kernel nothing.
        var pixels = Enumerable.Range(0, 784).Select(i => i % 28 >= 14 ? 1f : 0f).ToArray();
        var step = new ImageSet("step", SyntheticModels.Shape, pixels, [0], [0]);
        var (model, _) = SyntheticModels.Linear(classes: 2, seed: 1);

        var map = new EdgeMap().Attribute(model, step, Target.Class(0))[0].Map;

        for (var row = 0; row < 28; row++)
            for (var column = 0; column < 28; column++)
                Assert.Equal(column is 13 or 14 ? 4f : 0f, map[row * 28 + column], 5);
    }

    [Fact]
    public void The_edge_map_does_not_depend_on_the_model()
    {
        var images = TestData.FirstTestImages(3);
        var (first, _) = SyntheticModels.Linear(classes: 3, seed: 1);
        var (second, _) = SyntheticModels.Linear(classes: 3, seed: 9);

        var a = new EdgeMap().Attribute(first, images, Target.Class(0));
        var b = new EdgeMap().Attribute(second, images, Target.Class(0));

        for (var i = 0; i < images.Count; i++) Assert.Equal(a[i].Map, b[i].Map);
        Assert.NotEqual(a[0].Score, b[0].Score);
    }
}
