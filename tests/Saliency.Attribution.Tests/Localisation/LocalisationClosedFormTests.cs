using Saliency.Attribution.Metrics.Localisation;

namespace Saliency.Attribution.Tests.Localisation;

/// <summary>The localisation metrics on small maps and masks whose answers are known in closed form.</summary>
public class LocalisationClosedFormTests
{
    static readonly GroundTruthMask Square = Masks.Of(
        "0000",
        "0110",
        "0110",
        "0000");

    public static TheoryData<string> Shares => [RelevanceMass.MetricName, AttributionLocalisation.MetricName, EnergyPointingGame.MetricName];
    public static TheoryData<string> All => [.. LocalisationMetrics.Defaults.Select(m => m.Name)];

    static LocalisationMetric Metric(string name) => LocalisationMetrics.Defaults.Single(m => m.Name == name);

    [Theory]
    [MemberData(nameof(All))]
    public void A_map_equal_to_the_mask_scores_1(string name) =>
        Assert.Equal(1, Metric(name).Score(Masks.Painted(Square, 1, 0), Square), 12);

    [Theory]
    [InlineData(RelevanceMass.MetricName)]
    [InlineData(RelevanceRank.MetricName)]
    [InlineData(AttributionLocalisation.MetricName)]
    [InlineData(EnergyPointingGame.MetricName)]
    [InlineData(MaskAuc.MetricName)]
    public void A_map_equal_to_the_masks_complement_scores_0(string name) =>
        Assert.Equal(0, Metric(name).Score(Masks.Painted(Square, 0, 1), Square), 12);

    [Theory]
    [InlineData(RelevanceMass.MetricName, 4 / 16.0)]
    [InlineData(RelevanceRank.MetricName, 4 / 16.0)]
    [InlineData(AttributionLocalisation.MetricName, 4 / 16.0)]
    [InlineData(MaskAuc.MetricName, 0.5)]
    public void A_constant_map_scores_chance(string name, double chance) =>
        Assert.Equal(chance, Metric(name).Score(Masks.Painted(Square, 2, 2), Square), 12);

    [Fact]
    public void Channels_are_summed_before_a_pixel_is_scored()
    {
        // Channel 0 is 1 everywhere, channel 1 is −1 on the mask: the pixels inside sum to 0, those outside to 1.
        var map = Masks.Painted(Square, 1, 1).Concat(Masks.Painted(Square, -1, 0)).ToArray();

        Assert.Equal(0, new RelevanceMass().Score(map, Square), 12);
        Assert.Equal(0, new MaskAuc().Score(map, Square), 12);
    }

    [Fact]
    public void Relevance_mass_ignores_negative_relevance()
    {
        var map = Masks.Painted(Square, -5, 0);
        map[0] = 2;
        map[5] = 3;

        Assert.Equal(3 / 5.0, new RelevanceMass().Score(map, Square), 12);
    }

    [Theory]
    [MemberData(nameof(Shares))]
    public void A_map_with_no_positive_relevance_has_no_mass_to_share(string name)
    {
        var zero = new float[16];
        Assert.Equal(0, Metric(name).Score(zero, Square));
    }

    [Fact]
    public void Attribution_localisation_counts_negative_relevance_by_its_size()
    {
        // |−3| on each of the 4 pixels inside, 1 on 4 of the 12 outside: 12 / (12 + 4).
        var map = Masks.Painted(Square, -3, 0);
        (map[0], map[1], map[2], map[3]) = (1, 1, 1, 1);

        Assert.Equal(12 / 16.0, new AttributionLocalisation().Score(map, Square), 12);
    }

    [Fact]
    public void Relevance_rank_takes_as_many_pixels_as_the_mask_has()
    {
        var mask = Masks.Of("1100", "0000", "0000", "0000");
        var map = new float[16];
        (map[0], map[5], map[1]) = (5, 4, 3);

        // K = 2: the two most relevant are pixel 0 (inside) and pixel 5 (outside).
        Assert.Equal(0.5, new RelevanceRank().Score(map, mask), 12);
    }

    [Fact]
    public void Pixels_tied_at_the_last_place_share_it_in_proportion()
    {
        var mask = Masks.Of("1100", "0000", "0000", "0000");
        var map = new float[16];
        (map[0], map[1], map[2], map[3]) = (3, 1, 1, 1);

        // K = 2: pixel 0 inside, then one place among three tied pixels of which one is inside: (1 + 1/3) / 2.
        Assert.Equal(2 / 3.0, new RelevanceRank().Score(map, mask), 12);
        Assert.Equal(2 / 3.0, new TopKIntersection(k: 2, referenceSide: 4).Score(map, mask), 12);
    }

    [Fact]
    public void Top_k_intersection_counts_the_k_most_relevant_pixels_inside()
    {
        var map = new float[16];
        (map[5], map[0], map[6], map[9]) = (4, 3, 2, 1);

        // k = 3: pixels 5 and 6 inside, pixel 0 outside.
        Assert.Equal(2 / 3.0, new TopKIntersection(k: 3, referenceSide: 4).Score(map, Square), 12);
        // k = 4 adds pixel 9, inside.
        Assert.Equal(3 / 4.0, new TopKIntersection(k: 4, referenceSide: 4).Score(map, Square), 12);
    }

    [Theory]
    [InlineData(224, 224, 1000)]
    [InlineData(28, 28, 16)]
    [InlineData(56, 56, 63)]
    [InlineData(112, 224, 500)]
    [InlineData(2, 2, 1)]
    public void Top_k_scales_quantus_thousand_at_224_by_the_images_area(int height, int width, int k) =>
        Assert.Equal(k, new TopKIntersection().KAt(height, width));

    [Fact]
    public void The_energy_pointing_game_counts_energy_in_the_masks_bounding_box()
    {
        var corner = Masks.Of(
            "1100",
            "1000",
            "0000",
            "0000");
        var map = new float[16];
        (map[0], map[5], map[15], map[1]) = (1, 2, 1, -4);

        // The box is the top-left 2 × 2: pixels 0 and 5 hold 3 of the 4 positive units; the mask alone holds 1 of them.
        Assert.Equal(3 / 4.0, new EnergyPointingGame().Score(map, corner), 12);
        Assert.Equal(1 / 4.0, new EnergyPointingGame(boundingBox: false).Score(map, corner), 12);
        Assert.Equal(1 / 4.0, new RelevanceMass().Score(map, corner), 12);
    }

    [Fact]
    public void Mask_auc_reads_the_size_of_relevance_whatever_its_sign() =>
        Assert.Equal(1, new MaskAuc().Score(Masks.Painted(Square, -2, 0.5f), Square), 12);

    [Fact]
    public void Mask_auc_counts_a_tie_between_inside_and_outside_as_half()
    {
        var mask = Masks.Of("1100");
        float[] map = [3, 1, 1, 0];

        // Pairs (inside, outside): 3 > 1, 3 > 0, 1 = 1, 1 > 0, so (1 + 1 + 0.5 + 1) / 4.
        Assert.Equal(3.5 / 4, new MaskAuc().Score(map, mask), 12);
    }

    [Theory]
    [InlineData(RelevanceMass.MetricName, 0)]
    [InlineData(AttributionLocalisation.MetricName, 1)]
    [InlineData(RelevanceRank.MetricName, 2)]
    [InlineData(MaskAuc.MetricName, 3)]
    public void A_random_map_scores_chance_in_expectation(string name, int seedOffset)
    {
        // Pixels drawn alike are exchangeable, so every share has the mask's area fraction as its mean and the AUC 1/2;
        // over 1000 maps the mean's standard error is below 0.001, and the bound is 5 of them.
        var mask = Masks.Disc(28, 28, 10, 16, 6);
        var chance = name == MaskAuc.MetricName ? 0.5 : (double)mask.Foreground / mask.Pixels;
        var random = new Random(100 + seedOffset);
        var metric = Metric(name);

        var mean = Enumerable.Range(0, 1000)
            .Select(_ => metric.Score(Enumerable.Range(0, 784).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray(), mask))
            .Average();

        Assert.InRange(mean, chance - 0.005, chance + 0.005);
    }
}
