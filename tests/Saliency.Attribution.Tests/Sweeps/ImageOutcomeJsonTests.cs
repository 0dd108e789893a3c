using System.Text.Json;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

/// <summary>Image outcomes as JSON: flat, by result column, and readable as every earlier version wrote them.</summary>
public class ImageOutcomeJsonTests
{
    [Fact]
    public void A_line_written_before_metrics_had_descriptors_reads_into_the_same_columns()
    {
        const string line = """
            {"key":3,"label":1,"target":2,"score":4.5,"baseline_score":0.5,"attribution_sum":3.75,"delta":-0.25,"relative_delta":0.0625,
             "deletion_auc":0.125,"insertion_auc":0.75,"steps":16,"seconds":0.2,"sparseness":null,"complexity":null,"model_randomisation":null,
             "random_logit":null,"faithfulness_correlation":0.5,"infidelity":null,"max_sensitivity":null,"road_morf":null,"road_lerf":null,
             "other_substrates":{"deletion_auc_black":0.25}}
            """;

        var image = JsonSerializer.Deserialize<ImageOutcome>(line)!;

        Assert.Equal((3, 1, 2, 4.5, 0.5, 3.75, 16, 0.2), (image.Key, image.Label, image.Target, image.Score, image.BaselineScore, image.AttributionSum, image.Steps, image.Seconds));
        Assert.Equal(new Dictionary<string, double>
        {
            ["delta"] = -0.25,
            ["relative_delta"] = 0.0625,
            ["deletion_auc"] = 0.125,
            ["insertion_auc"] = 0.75,
            ["faithfulness_correlation"] = 0.5,
            ["deletion_auc_black"] = 0.25,
        }.OrderBy(p => p.Key), image.Metrics!.OrderBy(p => p.Key));
        Assert.Equal(0.25, CompletenessMetric.Descriptor.ColumnNamed(CompletenessMetric.AbsDeltaColumn)!.ValueOf(image));
    }

    [Fact]
    public void A_message_in_the_wire_format_of_the_earlier_version_reads_too() =>
        Assert.Equal(0.125, JsonSerializer.Deserialize<ImageOutcome>(
            """{"Key":3,"Label":1,"Target":2,"Score":4.5,"BaselineScore":null,"AttributionSum":3.75,"Delta":null,"DeletionAuc":0.125,"Steps":16,"Seconds":0.2}""")!
            .Metric(DeletionMetric.AucColumn));

    [Fact]
    public void Values_curves_and_the_cascade_survive_a_round_trip()
    {
        var image = new ImageOutcome(7, 1, 1, 2.5, null, 1.25, 32, 0.5,
            new Dictionary<string, double> { ["relevance_mass"] = 0.375, ["deletion_auc"] = 0.1 },
            [0.9, 0.5],
            new Dictionary<string, MetricCurve> { ["deletion_auc"] = new([0, 0.5, 1], [0.75, 0.25, 0.125]) });

        var back = JsonSerializer.Deserialize<ImageOutcome>(JsonSerializer.Serialize(image));

        Assert.Equal(image, back);
    }

    [Fact]
    public void Curves_are_kept_to_five_decimals_and_values_to_every_digit()
    {
        var image = new ImageOutcome(1, 0, 0, 1, null, 1, 1, 0.1, new Dictionary<string, double> { ["deletion_auc"] = 1 / 3.0 },
            Curves: new Dictionary<string, MetricCurve> { ["deletion_auc"] = new([0, 1], [1 / 3.0, 2 / 3.0]) });

        var back = JsonSerializer.Deserialize<ImageOutcome>(JsonSerializer.Serialize(image))!;

        Assert.Equal(1 / 3.0, back.Metric("deletion_auc"));
        Assert.Equal([0.33333, 0.66667], back.Curves!["deletion_auc"].Scores);
    }

    [Fact]
    public void An_outcome_without_its_key_is_refused() =>
        Assert.Contains("no 'key'", Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize<ImageOutcome>("""{"label":1,"target":2,"score":4.5,"attribution_sum":1,"steps":1,"seconds":0}""")).Message);
}
