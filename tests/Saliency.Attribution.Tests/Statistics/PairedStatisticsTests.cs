using Saliency.Attribution.Statistics;

namespace Saliency.Attribution.Tests.Statistics;

/// <summary>The paired statistics behind the verdict, against values counted by hand or computed once with SciPy.</summary>
public class PairedStatisticsTests
{
    [Fact]
    public void Five_positive_differences_give_the_exact_two_sided_p_of_two_in_thirty_two()
    {
        Assert.Equal(2 / 32.0, WilcoxonSignedRank.PValue([1, 2, 3, 4, 5]), 12);
        Assert.Equal(2 / 32.0, WilcoxonSignedRank.PValue([-1, -2, -3, -4, -5]), 12);
    }

    [Fact]
    public void One_negative_difference_among_five_gives_six_in_thirty_two()
    {
        // W+ = 1 + 3 + 4 + 5 = 13; three of the 32 sign patterns reach 13 or more (or, mirrored, 2 or less).
        Assert.Equal(6 / 32.0, WilcoxonSignedRank.PValue([1, -2, 3, 4, 5]), 12);
    }

    [Fact]
    public void Zero_differences_are_dropped_and_none_left_gives_one()
    {
        Assert.Equal(WilcoxonSignedRank.PValue([1, 2, 3, 4, 5]), WilcoxonSignedRank.PValue([0, 1, 2, 0, 3, 4, 5]), 12);
        Assert.Equal(1, WilcoxonSignedRank.PValue([0, 0, 0]));
    }

    [Theory]
    // scipy.stats.wilcoxon(d, mode="approx").pvalue with SciPy 1.10.1 (Debian 12), printed by wilcoxon_fixture.py beside this file.
    [InlineData("1 1 2 2 3 -1 4 5 5 6", 0.009070459729772)]
    [InlineData("0.5 -0.25 0.5 1 -1 2 0.5 -0.5 3 1 1 -2", 0.191910085001131)]
    public void Tied_magnitudes_take_the_normal_approximation_scipy_takes(string differences, double expected)
    {
        var values = differences.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected, WilcoxonSignedRank.PValue(values), 6);
    }

    [Fact]
    public void Holm_multiplies_the_sorted_p_values_by_the_tests_left_and_keeps_them_monotone()
    {
        Assert.Equal([0.03, 0.06, 0.06, double.NaN], Holm.Adjust([0.01, 0.04, 0.03, double.NaN]));
        Assert.Equal([1.0, 1.0], Holm.Adjust([0.7, 0.9]));
    }

    [Fact]
    public void Kendall_tau_b_counts_concordant_and_discordant_pairs_and_corrects_for_ties()
    {
        Assert.Equal(1 / 3.0, RankAgreement.KendallTauB([1, 2, 3], [1, 3, 2]), 12);
        Assert.Equal(-1, RankAgreement.KendallTauB([1, 2, 3, 4], [4, 3, 2, 1]), 12);
        // Four concordant pairs, one tied in x alone and one in y alone: 4 / √(5 · 5).
        Assert.Equal(0.8, RankAgreement.KendallTauB([1, 2, 2, 3], [1, 2, 3, 3]), 12);
        Assert.True(double.IsNaN(RankAgreement.KendallTauB([1, 1, 1], [1, 2, 3])));
    }

    [Fact]
    public void A_trial_that_differs_from_the_best_by_noise_alone_is_tied_and_one_worse_by_far_is_not()
    {
        var random = new Random(11);
        var truth = Enumerable.Range(0, 80).Select(_ => random.NextDouble()).ToArray();
        var noise = Enumerable.Range(0, 80).Select(_ => (random.NextDouble() - 0.5) * 0.02).ToArray();
        var values = new Dictionary<int, double[]>
        {
            [0] = truth.Select((v, i) => v + 0.001 + noise[i]).ToArray(),
            [1] = truth.Select((v, i) => v - noise[i]).ToArray(),
            [2] = truth.Select(v => v - 0.2).ToArray(),
        };

        var comparison = MetricComparison.Compare("insertion_auc", higherIsBetter: true, values)!;

        Assert.Equal(0, comparison.Best);
        Assert.Equal([0, 1], comparison.Tied);
        var worse = comparison.Of(2)!;
        Assert.Equal(80, worse.Images);
        Assert.InRange(-0.201, worse.Low!.Value, worse.High!.Value);
        Assert.True(worse.HolmP < 0.001, $"Holm p {worse.HolmP}");
        Assert.Equal((1.0, true), (comparison.Of(0)!.HolmP, comparison.Of(0)!.Tied));
    }

    [Fact]
    public void Only_images_both_trials_measured_are_paired()
    {
        var values = new Dictionary<int, double[]>
        {
            [0] = [1, 2, 3, double.NaN, 5],
            [1] = [0.5, double.NaN, 2.5, 4, 4.5],
        };

        // Means 2.75 and 2.875: trial 0 is the best at lower is better; they share images 0, 2 and 4.
        var difference = MetricComparison.Compare("deletion_auc", higherIsBetter: false, values)!.Of(1)!;

        Assert.Equal((0, 3, -0.5), (difference.Best, difference.Images, difference.Mean));
    }

    [Fact]
    public void Metrics_that_order_trials_alike_agree_and_reversed_ones_may_disagree()
    {
        var images = 40;
        var random = new Random(3);
        double[] Row(double level) => Enumerable.Range(0, images).Select(_ => level + random.NextDouble() * 0.1).ToArray();
        var insertion = Enumerable.Range(0, 5).ToDictionary(t => t, t => Row(t * 0.2));
        var deletion = Enumerable.Range(0, 5).ToDictionary(t => t, t => Row(1 - t * 0.2));
        var reversed = Enumerable.Range(0, 5).ToDictionary(t => t, t => Row(t * 0.2));

        var agreements = RankAgreement.Between(
            [("insertion_auc", true, insertion), ("deletion_auc", false, deletion), ("complexity", true, Invert(reversed))], images, seed: 1);

        var alike = agreements.Single(a => a.Second == "deletion_auc");
        Assert.Equal((5, 1.0), (alike.Trials, alike.Tau));
        Assert.False(alike.MayDisagree);
        var opposite = agreements.Single(a => a.First == "insertion_auc" && a.Second == "complexity");
        Assert.Equal(-1.0, opposite.Tau);
        Assert.True(opposite.MayDisagree);
    }

    [Fact]
    public void Against_a_reference_a_copy_has_tau_1_a_reversal_minus_1_and_each_is_set_first()
    {
        var images = 30;
        var truth = Enumerable.Range(0, 6).ToDictionary(t => t, t => Enumerable.Range(0, images).Select(i => t * 0.1 + i % 4 * 0.02).ToArray());

        var agreements = RankAgreement.Against(("relevance_mass", true, truth),
            [("insertion_auc", true, truth), ("deletion_auc", true, Invert(truth)), ("max_sensitivity", false, Invert(truth))], images, seed: 1, resamples: 50);

        Assert.Equal(["insertion_auc", "deletion_auc", "max_sensitivity"], agreements.Select(a => a.First));
        Assert.All(agreements, a => Assert.Equal(("relevance_mass", 6), (a.Second, a.Trials)));
        Assert.Equal((1.0, 1.0, 1.0), (agreements[0].Tau, agreements[0].Low, agreements[0].High));
        Assert.Equal((-1.0, -1.0, -1.0), (agreements[1].Tau, agreements[1].Low, agreements[1].High));
        // Lower is better, so the negated truth orders the trials as the truth does.
        Assert.Equal(1.0, agreements[2].Tau);
    }

    [Fact]
    public void Against_a_reference_the_intervals_are_those_of_every_pair_for_the_same_seed()
    {
        var random = new Random(9);
        var images = 25;
        Dictionary<int, double[]> Noise() => Enumerable.Range(0, 5).ToDictionary(t => t, t => Enumerable.Range(0, images).Select(_ => t * 0.05 + random.NextDouble()).ToArray());
        (string, bool, IReadOnlyDictionary<int, double[]>) truth = ("relevance_mass", true, Noise()), proxy = ("road_lerf", true, Noise());

        var against = Assert.Single(RankAgreement.Against(truth, [proxy], images, seed: 4));
        var between = Assert.Single(RankAgreement.Between([proxy, truth], images, seed: 4));

        Assert.Equal(between, against);
    }

    static Dictionary<int, double[]> Invert(Dictionary<int, double[]> values) =>
        values.ToDictionary(p => p.Key, p => p.Value.Select(v => -v).ToArray());
}
