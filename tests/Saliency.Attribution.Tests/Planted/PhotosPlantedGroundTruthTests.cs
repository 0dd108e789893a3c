using Saliency.Attribution.Data;
using Saliency.Attribution.Data.Planted;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests.Planted;

/// <summary>The shipped photos-planted model and its ground-truth list: the model reads the marks, and the list says where.</summary>
public class PhotosPlantedGroundTruthTests(PhotosPlantedFixture fixture) : IClassFixture<PhotosPlantedFixture>
{
    [Fact]
    public void Photos_planted_is_a_built_in_model_whose_trained_part_is_small()
    {
        Assert.True(ModelLoader.IsBuiltIn(PlantedPhotographs.Name));
        Assert.Equal(PlantedPhotographs.Name, fixture.Model.Spec.Name);
        Assert.Equal(PlantedPhotographs.Shape, fixture.Model.Spec.Input);
        Assert.Equal(PlantedPhotographs.ClassNames, fixture.Model.Spec.ClassNames);
        Assert.True(new FileInfo(ModelLoader.BuiltInWeightsPathOf(PlantedPhotographs.Name)).Length < 1024 * 1024);
    }

    [Fact]
    public void The_shipped_list_was_made_from_the_recipes_test_photographs()
    {
        var truth = fixture.Truth;
        Assert.Equal(PlantedPhotographs.GroundTruthSplit, truth.Split);
        Assert.Equal(PlantedPhotographs.Recipe, truth.Recipe);
        Assert.Equal(fixture.TestSplit.Fingerprint(), truth.Fingerprint);
        Assert.Equal(fixture.TestSplit.Marked().Count, truth.Marked);
        Assert.Equal(truth.Keys.Order(), truth.Keys);
        Assert.All(truth.Keys, key => Assert.True(fixture.TestSplit.Plantings[key].IsMarked));
    }

    [Fact]
    public void The_shipped_list_holds_at_least_80_percent_of_the_marked_test_photographs() =>
        Assert.InRange(fixture.Truth.PassedFraction, 0.8, 1);

    [Fact]
    public void On_the_first_marked_photographs_the_model_run_here_relies_on_most_marks_and_agrees_with_the_list()
    {
        // The first 40 marked test photographs, listed or not: computed here, on this CPU, where a near tie may fall the
        // other way than where the list was made.
        var split = fixture.TestSplit;
        var marked = split.Marked().Take(40).ToArray();
        var planted = Predictions.Of(fixture.Model, split.Planted().At(marked));
        var withoutMark = Predictions.Of(fixture.Model, split.WithoutMarks().At(marked));
        var withoutDecoy = Predictions.Of(fixture.Model, split.WithoutDecoys().At(marked));
        var relies = marked.Select((p, i) => new RelianceVerdict(p, split.Plantings[p].Label, planted[i], withoutMark[i], withoutDecoy[i]).Relies).ToArray();
        var listed = fixture.Truth.Keys.ToHashSet();

        Assert.InRange(relies.Count(r => r) / (double)relies.Length, 0.75, 1);
        Assert.InRange(marked.Where((p, i) => relies[i] == listed.Contains(p)).Count() / (double)marked.Length, 0.9, 1);
    }

    [Fact]
    public void The_planted_source_yields_the_listed_photographs_with_their_marks_as_masks()
    {
        var images = fixture.ListedImages;
        Assert.Equal(PhotosPlantedFixture.Listed, images.Count);
        Assert.Equal(fixture.Truth.Keys[..images.Count], images.Keys);
        Assert.Equal(PlantedPhotographs.Shape, images.Shape);
        Assert.NotNull(images.Masks);
        var planted = fixture.TestSplit.Planted();
        for (var p = 0; p < 3; p++)
        {
            var plan = fixture.TestSplit.Plantings[images.Keys[p]];
            Assert.Equal(plan.Label, images.Labels[p]);
            Assert.Equal(plan.Mark!.Mask(224, 224), images.Masks[p]);
            Assert.Equal(planted.Read(images.Keys[p], 1).Images.Pixels, images.Image(p).ToArray());
        }
    }

    [Fact]
    public void Only_the_test_split_of_the_planted_photographs_can_be_selected()
    {
        var error = Assert.Throws<FormatException>(() => ImageSelection.Parse("photos-planted:train:0-9"));
        Assert.Contains("only the test split", error.Message);
    }

    [Fact]
    public void A_list_made_from_other_plantings_is_refused()
    {
        var other = PlantedPhotographs.Load(PlantedPhotographs.GroundTruthSplit, PlantedPhotographs.Recipe with { Seed = 1 });
        var error = Assert.Throws<InvalidDataException>(() => fixture.Truth.Catalog(other));
        Assert.Contains("saliency train --planted-photos", error.Message);
    }
}
