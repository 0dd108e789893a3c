using Saliency.Attribution.Metrics.Localisation;

namespace Saliency.Attribution.Tests.Localisation;

/// <summary>The pointing game's tolerance radius, its scaling with the image and its ties.</summary>
public class PointingGameLocalisationTests
{
    /// <summary>A one-pixel mask at (<paramref name="row"/>, <paramref name="column"/>) and a map whose only maximum is at (0, 0).</summary>
    static (float[] Map, GroundTruthMask Mask) MaximumAtOrigin(int size, int row, int column)
    {
        var flags = new bool[size * size];
        flags[row * size + column] = true;
        var map = new float[size * size];
        map[0] = 1;
        return (map, new GroundTruthMask(size, size, flags));
    }

    [Theory]
    [InlineData(0, 15, 1)]
    [InlineData(9, 12, 1)]
    [InlineData(0, 16, 0)]
    [InlineData(9, 13, 0)]
    [InlineData(11, 11, 0)]
    public void At_224_a_mask_pixel_15_pixels_away_or_nearer_is_a_hit(int row, int column, double expected)
    {
        var (map, mask) = MaximumAtOrigin(224, row, column);
        Assert.Equal(expected, new PointingGame().Score(map, mask));
    }

    [Theory]
    [InlineData(448, 18, 24, 1)]
    [InlineData(448, 0, 31, 0)]
    [InlineData(28, 1, 1, 1)]
    [InlineData(28, 0, 2, 0)]
    public void The_radius_scales_with_the_image_side(int size, int row, int column, double expected)
    {
        // 30 pixels at 448; 1.875 at 28, where a diagonal neighbour (1.41) is in reach and a pixel 2 away is not.
        var (map, mask) = MaximumAtOrigin(size, row, column);
        Assert.Equal(expected, new PointingGame().Score(map, mask));
    }

    [Fact]
    public void A_rectangular_image_scales_the_radius_by_its_shorter_side()
    {
        Assert.Equal(1.875, new PointingGame().RadiusAt(28, 56), 12);
        Assert.Equal(1.875, new PointingGame().RadiusAt(56, 28), 12);
    }

    [Fact]
    public void Radius_zero_asks_for_the_maximum_itself_to_lie_inside()
    {
        var (map, mask) = MaximumAtOrigin(28, 0, 1);
        Assert.Equal(0, new PointingGame(radius: 0).Score(map, mask));
        map[1] = 2;
        Assert.Equal(1, new PointingGame(radius: 0).Score(map, mask));
    }

    [Fact]
    public void Tied_maxima_score_the_fraction_of_them_that_hit()
    {
        var mask = Masks.Of(
            "1000000000",
            "0000000000");
        var map = new float[20];
        (map[1], map[19], map[10]) = (5, 5, 4);

        Assert.Equal(0.5, new PointingGame(radius: 1, referenceSide: 2).Score(map, mask));
    }

    [Fact]
    public void An_all_zero_map_scores_the_share_of_pixels_in_reach_of_the_mask()
    {
        var mask = Masks.Of(
            "0000",
            "0100",
            "0000",
            "0000");
        var zero = new float[16];

        Assert.Equal(1 / 16.0, new PointingGame(radius: 0).Score(zero, mask));
        // Radius 1 at side 4: the pixel and its four direct neighbours.
        Assert.Equal(5 / 16.0, new PointingGame(radius: 1, referenceSide: 4).Score(zero, mask));
    }

    [Fact]
    public void A_negative_map_points_with_its_least_negative_pixel()
    {
        var mask = Masks.Of("0010");
        float[] map = [-3, -2, -1, -2];

        Assert.Equal(1, new PointingGame(radius: 0).Score(map, mask));
    }
}
