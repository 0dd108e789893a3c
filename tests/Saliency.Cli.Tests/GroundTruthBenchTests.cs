using Saliency.Attribution.Metrics;
using Saliency.Attribution.Metrics.Localisation;
using Saliency.Attribution.Statistics;
using Saliency.Attribution.Sweeps;
using Saliency.Cli.Benchmarks;

namespace Saliency.Cli.Tests;

/// <summary>
/// How <c>bench ground-truth</c> reads a sweep: its τ table from per-image values made to a known pattern, with no sweep
/// run. Six trials on 30 images; the truth orders them 0 &lt; 1 &lt; … &lt; 5, with noise per image that keeps the order.
/// </summary>
[Trait("Lane", "Unit")]
public class GroundTruthBenchTests
{
    const int Trials = 6, Images = 30;
    const string Truth = "relevance_mass";

    static double TruthOf(int trial, int key) => 0.1 + trial * 0.1 + (key % 5 - 2) * 0.01;

    /// <summary>The truth, and proxies made from it: the same order, the same order where lower is better, and reversed.</summary>
    static PerImageValues Values(Func<int, int, double>? unrelated = null)
    {
        var values = new PerImageValues();
        for (var trial = 0; trial < Trials; trial++)
            for (var key = 0; key < Images; key++)
            {
                var truth = TruthOf(trial, key);
                values.Add(Truth, trial, key, truth);
                values.Add(InsertionMetric.AucColumn, trial, key, 2 * truth + 0.3);
                values.Add(DeletionMetric.AucColumn, trial, key, 1 - truth);
                values.Add("sparseness", trial, key, 1 - truth);
                if (unrelated is not null) values.Add("complexity", trial, key, unrelated(trial, key));
            }
        return values;
    }

    static ProxyAgreement Row(IReadOnlyList<ProxyAgreement> rows, string proxy) => rows.Single(r => r.Proxy == proxy);

    [Fact]
    public void A_proxy_that_orders_the_trials_as_the_truth_does_has_tau_1_and_agrees()
    {
        var rows = GroundTruthBench.Measure(Values(), Truth, [InsertionMetric.AucColumn], seed: 1);

        var row = Row(rows, InsertionMetric.AucColumn);
        Assert.Equal((Trials, 1.0, 1.0, 1.0), (row.Agreement!.Trials, row.Agreement.Tau, row.Agreement.Low, row.Agreement.High));
        Assert.Equal("agrees", row.Reading);
        Assert.Equal(Trials - 1, row.Best);
    }

    [Fact]
    public void A_proxy_where_lower_is_better_is_turned_before_it_is_compared()
    {
        var rows = GroundTruthBench.Measure(Values(), Truth, [DeletionMetric.AucColumn], seed: 1);

        Assert.Equal(1.0, Row(rows, DeletionMetric.AucColumn).Agreement!.Tau);
        Assert.Equal(Trials - 1, Row(rows, DeletionMetric.AucColumn).Best);
    }

    [Fact]
    public void A_proxy_that_reverses_the_truth_has_tau_minus_1_and_reads_reversed()
    {
        // Sparseness is higher-is-better, so 1 − truth ranks the trials in reverse.
        var rows = GroundTruthBench.Measure(Values(), Truth, ["sparseness"], seed: 1);

        var row = Row(rows, "sparseness");
        Assert.Equal((-1.0, -1.0, -1.0), (row.Agreement!.Tau, row.Agreement.Low, row.Agreement.High));
        Assert.Equal("reversed", row.Reading);
        Assert.Equal(0, row.Best);
    }

    [Fact]
    public void A_proxy_that_depends_on_the_image_alone_reads_unrelated()
    {
        // Noise alone: the trials' means differ by chance, and resampled images reorder them.
        var noise = new Random(11);
        var rows = GroundTruthBench.Measure(Values((_, _) => noise.NextDouble()), Truth, ["complexity"], seed: 1, resamples: 500);

        var agreement = Row(rows, "complexity").Agreement!;
        Assert.True(agreement.Low <= 0 && agreement.High >= 0, $"interval [{agreement.Low}, {agreement.High}]");
        Assert.Equal("unrelated", Row(rows, "complexity").Reading);
    }

    [Fact]
    public void A_proxy_that_fewer_than_three_trials_have_gets_a_row_without_an_agreement()
    {
        var values = Values();
        for (var key = 0; key < Images; key++)
        {
            values.Add(CompletenessMetric.AbsDeltaColumn, 0, key, 0.1);
            values.Add(CompletenessMetric.AbsDeltaColumn, 1, key, 0.2);
        }

        var row = Row(GroundTruthBench.Measure(values, Truth, [CompletenessMetric.AbsDeltaColumn], seed: 1), CompletenessMetric.AbsDeltaColumn);

        Assert.Null(row.Agreement);
        Assert.Equal("too few trials", row.Reading);
        Assert.Equal(0, row.Best);
    }

    [Fact]
    public void Every_proxy_is_compared_with_the_same_resampled_images_so_the_table_is_the_same_for_a_seed()
    {
        string[] proxies = [InsertionMetric.AucColumn, DeletionMetric.AucColumn, "sparseness"];

        var first = GroundTruthBench.Measure(Values(), Truth, proxies, seed: 3);
        var second = GroundTruthBench.Measure(Values(), Truth, proxies, seed: 3);

        Assert.Equal(first, second);
        Assert.Equal(proxies, first.Select(r => r.Proxy));
    }

    [Fact]
    public void The_proxies_are_the_ranked_columns_that_do_not_score_against_the_masks()
    {
        var spec = SweepSpec.Parse(GroundTruthBench.Spec("gt", images: 8, steps: 8, shard: 4, seed: 1), "gt.yaml");

        var proxies = GroundTruthBench.Proxies(Saliency.Attribution.Results.MetricNames.ColumnsFor(spec));

        string[] expected = ["deletion_auc", "deletion_auc_black", "insertion_auc", "insertion_auc_black", "insertion_minus_deletion", "abs_delta", "sparseness",
            "complexity", "faithfulness_correlation", "infidelity", "max_sensitivity", "road_morf", "road_lerf"];
        Assert.Equal(expected.Order(), proxies.Order());
        Assert.DoesNotContain(proxies, p => p is "relevance_mass" or "pointing_game" or "relative_delta" or "score");
    }

    [Fact]
    public void The_sweep_runs_every_method_IG_from_several_baselines_and_both_controls_on_the_planted_benchmark()
    {
        var spec = SweepSpec.Parse(GroundTruthBench.Spec("gt", images: 8, steps: 8, shard: 4, seed: 1), "gt.yaml");

        Assert.Equal("fashion-planted", spec.Model.Reference);
        Assert.Equal("fashion-planted:test:0-7", spec.Data);
        Assert.Equal(MethodCatalog().Where(m => m != "noop").Order(), spec.Trials.Select(t => t.Method).Distinct().Order());
        Assert.True(spec.Trials.Count(t => t.Method == "ig") >= 3);
        Assert.Contains(spec.Trials, t => t.Method == "random");
        Assert.Contains(spec.Trials, t => t.Method == "edge");
        Assert.Equal(MetricCatalog.Names.Order(), spec.Metrics.Order());
    }

    [Fact]
    public void On_photographs_the_sweep_leaves_out_what_costs_hundreds_of_passes_at_224()
    {
        var spec = SweepSpec.Parse(GroundTruthBench.Spec("gt", images: 8, steps: 8, shard: 4, seed: 1, benchmark: "photos-planted"), "gt.yaml");

        Assert.Equal(("photos-planted", "photos-planted:test:0-7"), (spec.Model.Reference, spec.Data));
        Assert.Contains(spec.Trials, t => t.Method == "random");
        Assert.Contains(spec.Trials, t => t.Method == "edge");
        Assert.DoesNotContain(spec.Trials, t => t.Method is "igos" or "igos-pp" or "rise" or "occlusion" or "guided-ig");
        Assert.DoesNotContain(spec.Metrics, m => m is "max-sensitivity" or "infidelity" or "road");
        Assert.Contains("relevance-mass", spec.Metrics);
        Assert.Equal(0.005, spec.MetricStep?.Tolerance);
    }

    [Fact]
    public void A_benchmark_that_is_not_planted_is_refused_naming_the_ones_that_are()
    {
        var error = Assert.Throws<ArgumentException>(() => GroundTruthBench.Spec("gt", 8, 8, 4, 1, benchmark: "fashion-mnist"));

        Assert.Contains("'fashion-mnist'", error.Message);
        Assert.Contains("photos-planted", error.Message);
    }

    static IReadOnlyList<string> MethodCatalog() => Saliency.Attribution.Methods.MethodCatalog.Names;

    [Theory]
    [InlineData("relevance-mass", RelevanceMass.MetricName)]
    [InlineData("pointing_game", "pointing_game")]
    [InlineData("mask-auc", "mask_auc")]
    public void The_truth_is_named_by_its_metric_or_its_column(string name, string column) =>
        Assert.Equal(column.Replace('-', '_'), GroundTruthBench.TruthColumn(name));

    [Fact]
    public void A_truth_that_is_no_ground_truth_metric_is_refused_with_the_ones_that_are()
    {
        var error = Assert.Throws<ArgumentException>(() => GroundTruthBench.TruthColumn("deletion"));

        Assert.Contains("--truth 'deletion'", error.Message);
        Assert.Contains("relevance-mass", error.Message);
    }
}
