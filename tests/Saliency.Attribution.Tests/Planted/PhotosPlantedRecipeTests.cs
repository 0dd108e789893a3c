using Saliency.Attribution.Data;
using Saliency.Attribution.Data.Planted;

namespace Saliency.Attribution.Tests.Planted;

/// <summary>The planted photographs: crops of the shipped photographs at 224 × 224, each labelled by its mark alone.</summary>
public class PhotosPlantedRecipeTests
{
    static readonly Lazy<PlantedPhotoSplit> Test = new(() => PlantedPhotographs.Load(PlantedPhotographs.GroundTruthSplit));

    [Fact]
    public void A_photograph_is_labelled_with_its_marks_class_or_with_no_mark()
    {
        foreach (var plan in Test.Value.Plantings)
        {
            Assert.Equal(PlantedRecipe.Unmarked, plan.Garment);
            Assert.Equal(plan.Mark?.Index ?? PlantedRecipe.Unmarked, plan.Label);
        }
        Assert.Equal("no mark", PlantedPhotographs.ClassNames[PlantedRecipe.Unmarked]);
        Assert.Equal(PlantedRecipe.Classes + 1, PlantedPhotographs.ClassNames.Count);
    }

    [Fact]
    public void Every_marks_class_is_drawn_and_about_half_the_photographs_are_marked()
    {
        var plans = PlantedPhotographs.Load("train").Plantings;
        Assert.Equal(Enumerable.Range(0, PlantedRecipe.Classes), plans.Where(p => p.IsMarked).Select(p => p.Label).Distinct().Order());
        Assert.InRange(plans.Count(p => p.IsMarked) / (double)plans.Count, 0.45, 0.55);
    }

    [Fact]
    public void Marks_and_decoys_are_40_pixels_wide_a_cell_apart_and_crops_lie_inside_their_photographs()
    {
        var split = Test.Value;
        for (var p = 0; p < split.Plantings.Count; p++)
        {
            var plan = split.Plantings[p];
            Assert.Equal((8, 40), (plan.Decoy.CellPixels, plan.Decoy.Side));
            if (plan.Mark is { } mark) Assert.False(mark.Overlaps(plan.Decoy, mark.CellPixels));
            var crop = split.Crops[p];
            Assert.InRange(crop.Side, (int)(PhotoCrop.SmallestShare * SourcePhotographs.PhotoSide), SourcePhotographs.PhotoSide);
            Assert.InRange(crop.Top, 0, SourcePhotographs.PhotoSide - crop.Side);
            Assert.InRange(crop.Left, 0, SourcePhotographs.PhotoSide - crop.Side);
        }
        Assert.True(split.Crops.Select(c => c.Photo).Distinct().Count() == SourcePhotographs.Default.Count, "some photograph is never cropped");
    }

    [Fact]
    public void The_same_recipe_makes_the_same_pixels_and_another_split_or_seed_makes_others()
    {
        var first = PlantedPhotographs.Load("test").Planted().Read(3, 2).Images;
        var again = PlantedPhotographs.Load("test").Planted().Read(3, 2).Images;
        Assert.Equal(first.Pixels, again.Pixels);
        Assert.Equal(Test.Value.Fingerprint(), PlantedPhotographs.Load("test").Fingerprint());
        Assert.NotEqual(Test.Value.Fingerprint(), PlantedPhotographs.Load("test", PlantedPhotographs.Recipe with { Seed = 225 }).Fingerprint());
        Assert.NotEqual(first.Pixels, PlantedPhotographs.Load("train").Planted().Read(3, 2).Images.Pixels);
        Assert.All(first.Pixels, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void The_mark_is_drawn_over_the_photograph_exactly_where_its_mask_lies()
    {
        var split = Test.Value;
        var position = split.Marked()[0];
        var mark = split.Plantings[position].Mark!;
        var image = split.Planted().Read(position, 1).Images.Image(0);
        var mask = mark.Mask(224, 224);
        Assert.Equal(1600, mask.Foreground);
        for (var c = 0; c < 3; c++)
            for (var y = 0; y < mark.Side; y++)
                for (var x = 0; x < mark.Side; x++)
                    Assert.Equal(mark.Pattern[y / 8, x / 8] ? 1f : 0f, image[c * 224 * 224 + (mark.Top + y) * 224 + mark.Left + x]);
    }

    [Fact]
    public void Erasing_the_mark_or_the_decoy_changes_its_square_alone_to_one_colour()
    {
        var split = Test.Value;
        var positions = split.Marked().Take(4).ToArray();
        var planted = split.Planted().At(positions).ReadAll();
        foreach (var (erased, pick) in new (ImageCatalog, Func<Planting, PlacedPattern>)[] { (split.WithoutMarks(), t => t.Mark!), (split.WithoutDecoys(), t => t.Decoy) })
        {
            var images = erased.At(positions).ReadAll();
            for (var i = 0; i < positions.Length; i++)
            {
                var mask = pick(split.Plantings[positions[i]]).Mask(224, 224);
                for (var c = 0; c < 3; c++)
                {
                    var square = new HashSet<float>();
                    for (var pixel = 0; pixel < 224 * 224; pixel++)
                    {
                        var (before, after) = (planted.Image(i)[c * 224 * 224 + pixel], images.Image(i)[c * 224 * 224 + pixel]);
                        if (mask[pixel]) square.Add(after);
                        else Assert.Equal(before, after);
                    }
                    Assert.Single(square);
                }
            }
        }
        Assert.Equal(PlantedRecipe.Unmarked, split.WithoutMarks().Labels[positions[0]]);
    }
}
