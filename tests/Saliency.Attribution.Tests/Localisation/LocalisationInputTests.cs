using Saliency.Attribution.Metrics.Localisation;

namespace Saliency.Attribution.Tests.Localisation;

/// <summary>What the localisation metrics refuse, and the names and defaults they offer.</summary>
public class LocalisationInputTests
{
    static readonly GroundTruthMask Square = Masks.Of("0000", "0110", "0110", "0000");

    public static TheoryData<string> All => [.. LocalisationMetrics.Defaults.Select(m => m.Name)];

    static LocalisationMetric Metric(string name) => LocalisationMetrics.Defaults.Single(m => m.Name == name);

    [Theory]
    [MemberData(nameof(All))]
    public void A_map_that_is_no_whole_number_of_the_masks_planes_is_refused(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Metric(name).Score(new float[17], Square));
        Assert.Contains("17 values", error.Message, StringComparison.Ordinal);
        Assert.Contains("4×4", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void A_map_of_several_channels_is_accepted(string name) =>
        Assert.InRange(Metric(name).Score(Masks.Painted(Square, 1, 0).Concat(new float[32]).ToArray(), Square), 0, 1);

    [Theory]
    [MemberData(nameof(All))]
    public void A_mask_with_nothing_inside_is_refused(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Metric(name).Score(new float[16], Masks.Of("0000", "0000", "0000", "0000")));
        Assert.Contains("no pixel inside", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_auc_refuses_a_mask_with_nothing_outside()
    {
        var error = Assert.Throws<ArgumentException>(() => new MaskAuc().Score(new float[4], Masks.Of("11", "11")));
        Assert.Contains("covers every pixel", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PointingGame.MetricName)]
    [InlineData(RelevanceMass.MetricName)]
    [InlineData(RelevanceRank.MetricName)]
    [InlineData(TopKIntersection.MetricName)]
    [InlineData(AttributionLocalisation.MetricName)]
    [InlineData(EnergyPointingGame.MetricName)]
    public void The_others_score_a_mask_that_covers_every_pixel_as_1(string name) =>
        Assert.Equal(1, Metric(name).Score([1, 2, 3, 4], Masks.Of("11", "11")), 12);

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_map_with_values_that_are_not_finite_is_refused(float value)
    {
        var map = new float[16];
        map[3] = value;
        Assert.Throws<ArgumentException>(() => new RelevanceMass().Score(map, Square));
    }

    [Fact]
    public void A_mask_needs_one_flag_per_pixel() =>
        Assert.Throws<ArgumentException>(() => new GroundTruthMask(3, 4, new bool[11]));

    [Fact]
    public void Parameters_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PointingGame(radius: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PointingGame(referenceSide: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TopKIntersection(k: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TopKIntersection(k: 17, referenceSide: 4));
    }

    [Fact]
    public void The_bounding_box_of_a_mask_is_the_smallest_box_around_it()
    {
        var box = Masks.Of("0000", "0100", "0001", "0000").BoundingBox();
        Assert.Equal(Masks.Flags(Masks.Of("0000", "0111", "0111", "0000")), Masks.Flags(box));
    }

    [Fact]
    public void Every_metric_has_its_own_name_and_a_column_with_underscores()
    {
        var names = LocalisationMetrics.Defaults.Select(m => m.Name).ToList();
        Assert.Equal(["pointing-game", "relevance-mass", "relevance-rank", "top-k-intersection", "attribution-localisation",
            "energy-pointing-game", "mask-auc"], names);
        Assert.Equal("top_k_intersection", LocalisationMetrics.Column(TopKIntersection.MetricName));
    }
}
