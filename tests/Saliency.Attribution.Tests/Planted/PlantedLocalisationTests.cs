using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics.Localisation;

namespace Saliency.Attribution.Tests.Planted;

/// <summary>
/// The localisation metrics on the planted benchmark: the controls score chance, and methods that read the model find
/// the marks. Averages of relevance mass over the first 100 listed images, with margins far wider than a CPU's rounding
/// can move them (measured on 300: random 0.032 on the marks, edge 0.089 on marks and decoys alike, gradient 0.112 on
/// the marks and 0.036 on the decoys, integrated gradients 0.307 and 0.063).
/// </summary>
public class PlantedLocalisationTests(PlantedBenchmarkFixture fixture) : IClassFixture<PlantedBenchmarkFixture>
{
    static readonly Lazy<ImageSet> Listed = new(() => ImageSelection.Parse("fashion-planted:test:0-99").Load());
    static readonly RelevanceMass Mass = new();

    (double OnMarks, double OnDecoys) MeanMass(IAttributionMethod method)
    {
        var images = Listed.Value;
        var maps = method.Attribute(fixture.Model, images, Target.Label);
        return (maps.Select((a, p) => Mass.Score(a.Map, images.Masks![p])).Average(),
            maps.Select((a, p) => Mass.Score(a.Map, fixture.TestSplit.Plantings[images.Keys[p]].Decoy.Mask(28, 28))).Average());
    }

    [Fact]
    public void A_random_maps_relevance_mass_is_the_marks_area_fraction()
    {
        var area = Listed.Value.Masks!.Average(m => m.Foreground / (double)m.Pixels);
        Assert.InRange(MeanMass(new RandomMap(seed: 3)).OnMarks, area - 0.05, area + 0.05);
    }

    [Fact]
    public void An_edge_map_finds_the_decoys_as_much_as_the_marks()
    {
        var (onMarks, onDecoys) = MeanMass(new EdgeMap());
        Assert.InRange(onMarks / onDecoys, 0.75, 1.33);
    }

    [Fact]
    public void The_gradient_and_integrated_gradients_find_the_marks_better_than_both_controls_and_ignore_the_decoys()
    {
        var controls = Math.Max(MeanMass(new RandomMap(seed: 3)).OnMarks, MeanMass(new EdgeMap()).OnMarks);
        var methods = new IAttributionMethod[]
        {
            new VanillaGradient(),
            new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("black"), Steps = 32 }),
        };
        foreach (var method in methods)
        {
            var (onMarks, onDecoys) = MeanMass(method);
            Assert.True(onMarks > controls, $"{method.Name}: {onMarks:F3} on the marks, controls {controls:F3}");
            Assert.True(onMarks > 2 * onDecoys, $"{method.Name}: {onMarks:F3} on the marks, {onDecoys:F3} on the decoys");
        }
    }
}
