using Saliency.Web.Runs;

namespace Saliency.Web.Tests;

public sealed class ImageCurvesTests
{
    const string Line = """
        {"trial":0,"images":[
          {"key":3,"curves":{"deletion_auc":{"fractions":[0,0.5,1],"scores":[0.9,0.4,0.1]},"insertion_auc":{"fractions":[0,0.5,1],"scores":[0.1,0.6,0.9]}}},
          {"key":4},
          {"key":5,"curves":{"deletion_auc":{"fractions":[0,1,0.5],"scores":[0.9,0.4,0.1]},"insertion_auc":{"fractions":[0,2],"scores":[0.1,0.9]},
                             "deletion_auc_black":{"fractions":[0,1],"scores":[0.5]}}}]}
        """;

    [Fact]
    public void The_curves_of_the_image_asked_for_are_read_by_result_column()
    {
        var curves = ImageCurves.Of(Line, 3);

        Assert.Equal(["deletion_auc", "insertion_auc"], curves.Keys.Order());
        Assert.Equal([0, 0.5, 1], curves["deletion_auc"].Fractions);
        Assert.Equal([0.1, 0.6, 0.9], curves["insertion_auc"].Scores);
    }

    [Fact]
    public void An_image_logged_without_curves_has_none()
    {
        Assert.Empty(ImageCurves.Of(Line, 4));
        Assert.Empty(ImageCurves.Of(Line, 99));
    }

    [Fact]
    public void A_curve_out_of_order_out_of_range_or_uneven_is_left_out()
    {
        Assert.Empty(ImageCurves.Of(Line, 5));
    }
}
