using System.Text.Json;
using Saliency.Attribution.Metrics.Localisation;

namespace Saliency.Attribution.Tests.Localisation;

/// <summary>
/// The localisation metrics against Quantus' own on 24 seeded maps and masks (Fixtures/quantus-localisation, made by
/// Fixtures/make_quantus_localisation.py), within 1e-9: Quantus adds 1e-9 to attribution localisation's denominator and
/// divides every map by its largest magnitude first, and nothing else separates the two. Where the definitions part, the
/// script gave Quantus what makes them one measure: the positive part for relevance mass, <c>abs=True</c> for the AUC,
/// the scaled k for top-k; the pointing game compares at radius 0, Quantus having no tolerance. Values a tie decides
/// (the case's "tied" list) are left out, the two breaking ties differently.
/// </summary>
public class QuantusLocalisationTests
{
    const double Tolerance = 1e-9;

    sealed record Case(string Name, float[] Map, GroundTruthMask Mask, int K, IReadOnlySet<string> Tied, IReadOnlyDictionary<string, double> Quantus);

    static readonly Lazy<IReadOnlyList<Case>> Cases = new(Load);

    static IReadOnlyList<Case> Load()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(TestData.Fixture(Path.Combine("quantus-localisation", "cases.json"))));
        return fixture.RootElement.GetProperty("cases").EnumerateArray().Select(c =>
        {
            var (height, width) = (c.GetProperty("height").GetInt32(), c.GetProperty("width").GetInt32());
            // Read as the script wrote them, a double narrowed to float32, so both sides hold the same values.
            var map = c.GetProperty("map").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            var flags = c.GetProperty("mask").EnumerateArray().SelectMany(row => row.GetString()!.Select(f => f == '1')).ToArray();
            return new Case(c.GetProperty("name").GetString()!, map, new GroundTruthMask(height, width, flags), c.GetProperty("k").GetInt32(),
                c.GetProperty("tied").EnumerateArray().Select(t => t.GetString()!).ToHashSet(),
                c.GetProperty("quantus").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()));
        }).ToList();
    }

    public static TheoryData<string> Compared =>
    [
        PointingGame.MetricName, RelevanceMass.MetricName, RelevanceRank.MetricName, TopKIntersection.MetricName,
        AttributionLocalisation.MetricName, MaskAuc.MetricName,
    ];

    static LocalisationMetric Metric(string name) => name == PointingGame.MetricName
        ? new PointingGame(radius: 0)
        : LocalisationMetrics.Defaults.Single(m => m.Name == name);

    [Theory]
    [MemberData(nameof(Compared))]
    public void Agrees_with_quantus_on_the_fixtures_maps_and_masks(string name)
    {
        var column = LocalisationMetrics.Column(name);
        var metric = Metric(name);
        var compared = Cases.Value.Where(c => !c.Tied.Contains(column)).ToList();

        foreach (var c in compared)
        {
            var ours = metric.Score(c.Map, c.Mask);
            Assert.True(Math.Abs(ours - c.Quantus[column]) <= Tolerance, $"{name} on {c.Name}: {ours} here, {c.Quantus[column]} in Quantus");
        }
        Assert.True(compared.Count >= 22, $"{name}: only {compared.Count} cases compared");
    }

    [Fact]
    public void The_fixtures_k_is_the_default_scaled_to_each_image() =>
        Assert.All(Cases.Value, c => Assert.Equal(c.K, new TopKIntersection().KAt(c.Mask.Height, c.Mask.Width)));

    [Fact]
    public void The_fixture_holds_hits_and_misses_and_every_edge_case()
    {
        Assert.Contains(Cases.Value, c => c.Quantus["pointing_game"] == 1);
        Assert.Contains(Cases.Value, c => c.Quantus["pointing_game"] == 0);
        Assert.Contains(Cases.Value, c => c.Mask.Foreground == 1);
        Assert.Contains(Cases.Value, c => c.Mask.Background == 1);
        Assert.Contains(Cases.Value, c => c.Map.Length == 3 * c.Mask.Pixels);
        Assert.Contains(Cases.Value, c => c.Mask.Height == 56);
    }
}
