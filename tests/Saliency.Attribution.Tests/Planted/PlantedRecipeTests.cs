using Saliency.Attribution.Data;
using Saliency.Attribution.Data.Planted;

namespace Saliency.Attribution.Tests.Planted;

/// <summary>The planted benchmark's recipe: what it draws, where, and what each image's label and mask become.</summary>
public class PlantedRecipeTests
{
    static readonly Lazy<PlantedSplit> TestSplit = new(() => PlantedSplit.Of(TestData.FashionTest, "test"));

    static IEnumerable<Planting> Plans(int side, int count = 2000) =>
        Enumerable.Range(0, count).Select(key => PlantedRecipe.Default.Plan("test", key, TestData.FashionTest.Labels[key], side, side));

    [Fact]
    public void The_same_seed_plants_the_same_pixels_and_places()
    {
        var garments = TestData.FirstTestImages(300);
        var first = PlantedSplit.Of(garments, "test");
        var second = PlantedSplit.Of(garments, "test");
        Assert.Equal(first.Images.Pixels, second.Images.Pixels);
        Assert.Equal(first.Images.Labels, second.Images.Labels);
        Assert.Equal(first.Plantings, second.Plantings);
        Assert.Equal(first.Fingerprint(), second.Fingerprint());
    }

    [Fact]
    public void Another_seed_or_split_plants_elsewhere()
    {
        var garments = TestData.FirstTestImages(300);
        var fingerprint = PlantedSplit.Of(garments, "test").Fingerprint();
        Assert.NotEqual(fingerprint, PlantedSplit.Of(garments, "test", PlantedRecipe.Default with { Seed = 29 }).Fingerprint());
        Assert.NotEqual(fingerprint, PlantedSplit.Of(garments, "train").Fingerprint());
    }

    [Theory]
    [InlineData(28)]
    [InlineData(56)]
    [InlineData(224)]
    public void Marks_and_decoys_lie_inside_the_image_a_cell_apart(int side)
    {
        foreach (var plan in Plans(side))
        {
            foreach (var placed in new[] { plan.Mark, plan.Decoy }.OfType<PlacedPattern>())
            {
                Assert.InRange(placed.Top, 0, side - placed.Side);
                Assert.InRange(placed.Left, 0, side - placed.Side);
            }
            if (plan.Mark is { } mark) Assert.False(mark.Overlaps(plan.Decoy, mark.CellPixels), $"image {plan.Key}: mark and decoy closer than a cell");
        }
    }

    [Theory]
    [InlineData(28, 1)]
    [InlineData(56, 2)]
    [InlineData(224, 8)]
    public void Cells_grow_with_the_images_shorter_side(int side, int cell)
    {
        Assert.Equal(cell, PlantedRecipe.CellPixels(side, side + 40));
        var decoy = Plans(side, 1).Single().Decoy;
        Assert.Equal(PlantedPatterns.Side * cell, decoy.Side);
        Assert.Equal(decoy.Side * decoy.Side, decoy.Mask(side, side).Foreground);
    }

    [Theory]
    [InlineData(28, 1)]
    [InlineData(224, 3)]
    public void The_mask_is_exactly_the_pixels_the_mark_draws(int side, int channels)
    {
        var shape = new ImageShape(channels, side, side);
        foreach (var plan in Plans(side, 200).Where(p => p.IsMarked).Take(20))
        {
            var image = Enumerable.Repeat(0.5f, shape.Size).ToArray();
            plan.Mark!.Draw(image, shape);
            var mask = plan.Mark.Mask(side, side);
            for (var c = 0; c < channels; c++)
                for (var pixel = 0; pixel < side * side; pixel++)
                    Assert.Equal(mask[pixel], image[c * side * side + pixel] != 0.5f);
        }
    }

    [Fact]
    public void A_marked_image_is_labelled_with_its_marks_class_which_is_never_its_garments()
    {
        foreach (var plan in TestSplit.Value.Plantings)
        {
            if (plan.Mark is { } mark)
            {
                Assert.Equal(mark.Index, plan.Label);
                Assert.Same(PlantedPatterns.Marks[plan.Label], mark.Pattern);
                Assert.NotEqual(plan.Garment, plan.Label);
            }
            else Assert.Equal(plan.Garment, plan.Label);
            Assert.Same(PlantedPatterns.Decoys[plan.Decoy.Index], plan.Decoy.Pattern);
        }
    }

    [Fact]
    public void About_the_recipes_share_of_images_is_marked()
    {
        var split = TestSplit.Value;
        Assert.InRange((double)split.Marked.Count / split.Plantings.Count, PlantedRecipe.Default.MarkedFraction - 0.03, PlantedRecipe.Default.MarkedFraction + 0.03);
    }

    [Fact]
    public void The_decoys_pattern_is_independent_of_the_label()
    {
        // Pearson's chi-squared test of independence on the 10 × 10 table of label and decoy pattern over the 10,000 test
        // images: 81 degrees of freedom, mean 81 and standard deviation 12.7 under independence; 160 has p ≈ 1e-7.
        var plans = TestSplit.Value.Plantings;
        var classes = PlantedRecipe.Classes;
        var table = new double[classes, classes];
        foreach (var plan in plans) table[plan.Label, plan.Decoy.Index]++;
        double chiSquared = 0;
        for (var label = 0; label < classes; label++)
            for (var decoy = 0; decoy < classes; decoy++)
            {
                var expected = plans.Count(p => p.Label == label) * (double)plans.Count(p => p.Decoy.Index == decoy) / plans.Count;
                chiSquared += Math.Pow(table[label, decoy] - expected, 2) / expected;
            }
        Assert.InRange(chiSquared, 0, 160);
    }

    [Fact]
    public void The_decoys_place_does_not_say_whether_there_is_a_mark()
    {
        var plans = TestSplit.Value.Plantings;
        double MeanTop(bool marked) => plans.Where(p => p.IsMarked == marked).Average(p => p.Decoy.Top + p.Decoy.Side / 2.0);
        double MeanLeft(bool marked) => plans.Where(p => p.IsMarked == marked).Average(p => p.Decoy.Left + p.Decoy.Side / 2.0);
        // Centres range over 2.5-25.5; 5,000 draws each put the means within about 0.1 of each other.
        Assert.InRange(MeanTop(true) - MeanTop(false), -0.5, 0.5);
        Assert.InRange(MeanLeft(true) - MeanLeft(false), -0.5, 0.5);
    }

    [Fact]
    public void Marks_and_decoys_are_equally_bright_and_far_apart_from_one_another()
    {
        var all = PlantedPatterns.Marks.Concat(PlantedPatterns.Decoys).ToArray();
        Assert.All(all, p => Assert.Equal(13, p.OnCells));
        for (var i = 0; i < all.Length; i++)
            for (var j = i + 1; j < all.Length; j++)
                Assert.True(all[i].Distance(all[j]) >= 10, $"patterns {all[i]} and {all[j]} differ in {all[i].Distance(all[j])} cells");
        Assert.Equal(PlantedPatterns.Marks.Select(m => m.Mirrored().ToString()), PlantedPatterns.Decoys.Select(d => d.ToString()));
    }

    [Fact]
    public void Erasing_fills_the_square_with_the_median_of_the_ring_around_it()
    {
        var shape = new ImageShape(1, 5, 5);
        var image = Enumerable.Range(0, 25).Select(i => i / 24f).ToArray();
        RingMedianFill.Fill(image, shape, 1, 1, 2, 1);
        // The ring around rows 1-2, columns 1-2 is pixels 0-3, 5, 8, 10, 13, 15-18: median of those 12 is (8 + 10) / 2 = 9.
        foreach (var pixel in new[] { 6, 7, 11, 12 }) Assert.Equal(9 / 24f, image[pixel], 6);
        Assert.Equal(24 / 24f, image[24]);
    }

    [Fact]
    public void Erasing_the_mark_changes_only_the_marks_pixels_and_restores_the_garments_label()
    {
        var split = PlantedSplit.Of(TestData.FirstTestImages(200), "test");
        var erased = split.WithoutMarks();
        var shape = split.Images.Shape;
        for (var p = 0; p < split.Plantings.Count; p++)
        {
            var plan = split.Plantings[p];
            Assert.Equal(plan.Garment, erased.Labels[p]);
            var mask = plan.Mark?.Mask(shape.Height, shape.Width);
            var before = split.Images.Image(p);
            var after = erased.Image(p);
            var square = new List<float>();
            for (var pixel = 0; pixel < shape.Size; pixel++)
                if (mask?[pixel] == true) square.Add(after[pixel]);
                else Assert.Equal(before[pixel], after[pixel]);
            if (square.Count > 0) Assert.Single(square.Distinct());
        }
    }
}
