using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics.Localisation;

namespace Saliency.Attribution.Tests.Planted;

/// <summary>
/// The localisation metrics on the planted photographs: the model-blind controls score chance on the first
/// <see cref="PhotosPlantedFixture.Listed"/> listed images, and the gradient, which reads the model, finds the marks.
/// </summary>
public class PhotosPlantedLocalisationTests(PhotosPlantedFixture fixture) : IClassFixture<PhotosPlantedFixture>
{
    static readonly RelevanceMass Mass = new();

    (double OnMarks, double OnDecoys) MeanMass(IAttributionMethod method)
    {
        var images = fixture.ListedImages;
        var maps = method.Attribute(fixture.Model, images, Target.Label);
        return (maps.Select((a, p) => Mass.Score(a.Map, images.Masks![p])).Average(),
            maps.Select((a, p) => Mass.Score(a.Map, fixture.TestSplit.Plantings[images.Keys[p]].Decoy.Mask(224, 224))).Average());
    }

    [Fact]
    public void A_random_maps_relevance_mass_is_the_marks_area_fraction()
    {
        var area = fixture.ListedImages.Masks!.Average(m => m.Foreground / (double)m.Pixels);
        Assert.InRange(MeanMass(new RandomMap(seed: 3)).OnMarks, area - 0.05, area + 0.05);
    }

    [Fact]
    public void An_edge_map_finds_the_decoys_as_much_as_the_marks()
    {
        var (onMarks, onDecoys) = MeanMass(new EdgeMap());
        Assert.InRange(onMarks / onDecoys, 0.75, 1.33);
    }

    [Fact]
    public void The_gradient_finds_the_marks_better_than_both_controls_and_ignores_the_decoys()
    {
        var controls = Math.Max(MeanMass(new RandomMap(seed: 3)).OnMarks, MeanMass(new EdgeMap()).OnMarks);
        var (onMarks, onDecoys) = MeanMass(new VanillaGradient());
        Assert.True(onMarks > controls, $"gradient: {onMarks:F3} on the marks, controls {controls:F3}");
        Assert.True(onMarks > 2 * onDecoys, $"gradient: {onMarks:F3} on the marks, {onDecoys:F3} on the decoys");
    }
}
