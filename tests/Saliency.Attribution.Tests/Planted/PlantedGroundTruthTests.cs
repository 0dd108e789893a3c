using Saliency.Attribution.Data;
using Saliency.Attribution.Data.Planted;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests.Planted;

/// <summary>The shipped fashion-planted model and its ground-truth list: the model reads the marks, and the list says where.</summary>
public class PlantedGroundTruthTests(PlantedBenchmarkFixture fixture) : IClassFixture<PlantedBenchmarkFixture>
{
    [Fact]
    public void Fashion_planted_is_a_built_in_model_of_the_fashion_cnn_architecture()
    {
        Assert.True(ModelLoader.IsBuiltIn(PlantedFashion.Name));
        Assert.Equal(PlantedFashion.Name, fixture.Model.Spec.Name);
        Assert.Equal(FashionCnn.BuiltInName, fixture.Model.Spec.Architecture);
        Assert.True(new FileInfo(ModelLoader.BuiltInWeightsPathOf(PlantedFashion.Name)).Length < 2 * 1024 * 1024);
    }

    [Fact]
    public void The_shipped_list_was_made_from_the_recipes_test_images()
    {
        var truth = fixture.Truth;
        Assert.Equal(PlantedFashion.GroundTruthSplit, truth.Split);
        Assert.Equal(PlantedRecipe.Default, truth.Recipe);
        Assert.Equal(fixture.TestSplit.Fingerprint(), truth.Fingerprint);
        Assert.Equal(fixture.TestSplit.Marked.Count, truth.Marked);
        Assert.Equal(truth.Keys.Order(), truth.Keys);
        Assert.Equal(truth.Keys.Length, truth.Keys.Distinct().Count());
        Assert.All(truth.Keys, key => Assert.True(fixture.TestSplit.Plantings[key].IsMarked));
    }

    [Fact]
    public void The_shipped_list_holds_at_least_80_percent_of_the_marked_test_images() =>
        Assert.InRange(fixture.Truth.PassedFraction, 0.8, 1);

    [Fact]
    public void The_shipped_model_relies_on_the_marks_of_at_least_80_percent_of_the_marked_test_images() =>
        Assert.InRange(fixture.Verdicts.Count(v => v.Relies) / (double)fixture.Verdicts.Count, 0.8, 1);

    [Fact]
    public void On_the_listed_images_erasing_the_mark_changes_the_prediction_and_erasing_the_decoy_does_not()
    {
        // Computed here, on this CPU: a near tie may fall the other way than where the list was made, so a few may differ.
        var listed = fixture.Truth.Keys.ToHashSet();
        var verdicts = fixture.Verdicts.Where(v => listed.Contains(v.Key)).ToArray();
        Assert.Equal(listed.Count, verdicts.Length);
        Assert.InRange(verdicts.Count(v => v.Predicted == v.Label) / (double)verdicts.Length, 0.97, 1);
        Assert.InRange(verdicts.Count(v => v.WithoutMark != v.Predicted) / (double)verdicts.Length, 0.97, 1);
        Assert.InRange(verdicts.Count(v => v.WithoutDecoy == v.Predicted) / (double)verdicts.Length, 0.97, 1);
    }

    [Fact]
    public void The_planted_source_yields_the_listed_images_with_their_marks_as_masks()
    {
        var images = ImageSelection.Parse("fashion-planted:test:0-9").Load();
        Assert.Equal(10, images.Count);
        Assert.Equal(fixture.Truth.Keys[..10], images.Keys);
        Assert.NotNull(images.Masks);
        for (var p = 0; p < images.Count; p++)
        {
            var plan = fixture.TestSplit.Plantings[images.Keys[p]];
            var mask = images.Masks[p];
            Assert.Equal((28, 28, 25), (mask.Height, mask.Width, mask.Foreground));
            Assert.Equal(plan.Label, images.Labels[p]);
            Assert.Equal(fixture.TestSplit.Images.Image(images.Keys[p]).ToArray(), images.Image(p).ToArray());
            var pattern = PlantedPatterns.Marks[images.Labels[p]];
            var (top, left) = (plan.Mark!.Top, plan.Mark.Left);
            for (var y = 0; y < 28; y++)
                for (var x = 0; x < 28; x++)
                {
                    var inside = y >= top && y < top + 5 && x >= left && x < left + 5;
                    Assert.Equal(inside, mask[y, x]);
                    if (inside) Assert.Equal(pattern[y - top, x - left] ? 1f : 0f, images.Image(p)[y * 28 + x]);
                }
        }
    }

    [Fact]
    public void Masks_stay_with_their_images_through_ranges_slices_and_selections()
    {
        var catalog = ImageSelection.Parse("fashion-planted:test").Open();
        var whole = catalog.ReadAll();
        var ranged = catalog.Select([(5, 6), (2, 2)]);
        Assert.True(ranged.HasGroundTruth);
        var read = ranged.ReadAll();
        Assert.Equal(new[] { whole.Masks![5], whole.Masks[6], whole.Masks[2] }, read.Masks!);
        Assert.Equal(new[] { read.Masks![1], read.Masks[2] }, read.Slice(1, 2).Masks!);
        Assert.Equal(new[] { read.Masks[2], read.Masks[0] }, read.Select([2, 0]).Masks!);
    }

    [Fact]
    public void Other_sources_bring_no_masks() =>
        Assert.Null(ImageSelection.Parse("fashion-mnist:test:0-3").Load().Masks);

    [Fact]
    public void Only_the_test_split_of_the_planted_source_can_be_selected()
    {
        var error = Assert.Throws<FormatException>(() => ImageSelection.Parse("fashion-planted:train:0-9"));
        Assert.Contains("only the test split", error.Message);
    }

    [Fact]
    public void A_list_made_from_other_plantings_is_refused()
    {
        var other = PlantedSplit.Of(TestData.FashionTest, PlantedFashion.GroundTruthSplit, PlantedRecipe.Default with { Seed = 1 });
        var error = Assert.Throws<InvalidDataException>(() => fixture.Truth.Images(other));
        Assert.Contains("saliency train --planted", error.Message);
    }
}
