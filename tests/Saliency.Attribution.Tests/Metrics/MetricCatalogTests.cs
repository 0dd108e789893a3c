using Saliency.Attribution.Metrics;
using Saliency.Attribution.Metrics.Localisation;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Metrics;

/// <summary>The catalogue is the one list of metrics: names, columns and objectives resolve through it, each once.</summary>
public class MetricCatalogTests
{
    static readonly JudgingSettings Everything = JudgingSettings.Default with
    {
        Metrics = MetricCatalog.Names,
        DeletionSubstrates = [Substrate.Blur, Substrate.Parse("black")],
        InsertionSubstrates = [Substrate.Blur, Substrate.Parse("blur:2:7")],
    };

    [Fact]
    public void Every_metric_has_one_name_and_no_two_write_one_column()
    {
        Assert.Equal(MetricCatalog.Names.Count, MetricCatalog.Names.Distinct().Count());
        var columns = MetricCatalog.Columns(Everything).Select(c => c.Name).ToList();
        Assert.Equal(columns.Count, columns.Distinct().Count());
    }

    [Fact]
    public void Every_column_is_found_by_its_name_alone_with_its_direction()
    {
        foreach (var column in MetricCatalog.Columns(Everything))
        {
            var found = MetricCatalog.Column(column.Name);
            Assert.NotNull(found);
            Assert.Equal((column.HigherIsBetter, column.Kind), (found.HigherIsBetter, found.Kind));
        }
    }

    [Fact]
    public void Every_metric_says_how_it_is_computed_and_which_paper_it_follows()
    {
        Assert.All(MetricCatalog.All, metric =>
        {
            Assert.False(string.IsNullOrWhiteSpace(metric.Definition), $"{metric.Name} has no definition");
            Assert.Matches(@"^\S.* \d{4}, "".+""", metric.Reference);
        });
    }

    [Fact]
    public void A_localisation_metric_describes_the_settings_it_was_made_with()
    {
        var pointing = new PointingGame(radius: 7.5, referenceSide: 100);
        Assert.Equal([new MetricParameter("radius", "7.5"), new MetricParameter("referenceSide", "100")], pointing.Parameters);
        Assert.Contains("7.5·min(H, W) / 100 pixels", pointing.Definition, StringComparison.Ordinal);
        Assert.Equal([new MetricParameter("boundingBox", "false")], new EnergyPointingGame(boundingBox: false).Parameters);
        Assert.Contains("as relevance mass", new EnergyPointingGame(boundingBox: false).Definition, StringComparison.Ordinal);
    }

    [Fact]
    public void A_metric_of_one_column_names_it_as_its_spec_name_with_underscores()
    {
        foreach (var metric in MetricCatalog.All)
            if (metric.Columns(Everything) is [var only] && metric is not CausalCurveMetric)
                Assert.Equal(metric.Name.Replace('-', '_'), only.Name);
    }

    [Fact]
    public void Further_substrates_have_columns_of_their_own()
    {
        Assert.Equal(["deletion_auc", "deletion_auc_black"], DeletionMetric.Descriptor.Columns(Everything).Select(c => c.Name));
        Assert.Equal(["insertion_auc", "insertion_auc_blur2k7", "insertion_minus_deletion"], InsertionMetric.Descriptor.Columns(Everything).Select(c => c.Name));
        Assert.False(MetricCatalog.Column("deletion_auc_blur9")!.HigherIsBetter);
    }

    [Fact]
    public void Every_objective_ranks_by_a_column_its_metrics_write()
    {
        foreach (var objective in SweepObjective.All)
        {
            var columns = MetricCatalog.Columns(Everything with { Metrics = objective.Metrics }).Select(c => c.Name);
            Assert.Contains(objective.Metric, columns);
            Assert.Equal(objective.HigherIsBetter, MetricNames.HigherIsBetter(objective.Metric));
        }
    }

    [Fact]
    public void Relevance_mass_is_the_objective_of_a_sweep_that_measures_it_and_names_none()
    {
        Assert.Equal("relevance-mass", SweepObjective.DefaultFor(MetricCatalog.Defaults(groundTruth: true)).Name);
        Assert.Equal("insertion-deletion", SweepObjective.DefaultFor(MetricCatalog.Defaults(groundTruth: false)).Name);
    }

    [Fact]
    public void An_unknown_metric_is_refused_with_the_known_ones_listed()
    {
        var error = Assert.Throws<ArgumentException>(() => MetricCatalog.Get("accuracy"));
        Assert.Contains("unknown metric 'accuracy'", error.Message);
        Assert.Contains("relevance-mass", error.Message);
    }

    [Fact]
    public void The_localisation_metrics_need_ground_truth_and_the_others_do_not() =>
        Assert.Equal(
            ["pointing-game", "relevance-mass", "relevance-rank", "top-k-intersection", "attribution-localisation", "energy-pointing-game", "mask-auc"],
            MetricCatalog.All.Where(m => m.NeedsGroundTruth).Select(m => m.Name));
}
