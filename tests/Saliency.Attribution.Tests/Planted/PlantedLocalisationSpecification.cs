using Saliency.Attribution.Data;
using Saliency.Attribution.Data.Planted;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics.Localisation;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests.Planted;

/// <summary>
/// What a planted benchmark must show through the localisation metrics, whatever its images and model: a random map's
/// relevance mass is the marks' share of the image, and an edge map, blind to the model, finds decoys as much as marks.
/// Each benchmark's class adds that the methods reading its model find the marks.
/// </summary>
public abstract class PlantedLocalisationSpecification
{
    static readonly RelevanceMass Mass = new();

    protected abstract ImageClassifier Model { get; }

    /// <summary>The listed images, each with its mark as its mask.</summary>
    protected abstract ImageSet Images { get; }

    protected abstract IPlantedImages Split { get; }

    /// <summary>Mean relevance mass on the marks and on the decoys.</summary>
    protected (double OnMarks, double OnDecoys) MeanMass(IAttributionMethod method)
    {
        var images = Images;
        var (height, width) = (images.Shape.Height, images.Shape.Width);
        var maps = method.Attribute(Model, images, Target.Label);
        return (maps.Select((a, p) => Mass.Score(a.Map, images.Masks![p])).Average(),
            maps.Select((a, p) => Mass.Score(a.Map, Split.Plantings[images.Keys[p]].Decoy.Mask(height, width))).Average());
    }

    /// <summary>The larger of the two controls' relevance mass on the marks: what a method must beat.</summary>
    protected double Controls() => Math.Max(MeanMass(new RandomMap(seed: 3)).OnMarks, MeanMass(new EdgeMap()).OnMarks);

    [Fact]
    public void A_random_maps_relevance_mass_is_the_marks_area_fraction()
    {
        var area = Images.Masks!.Average(m => m.Foreground / (double)m.Pixels);
        Assert.InRange(MeanMass(new RandomMap(seed: 3)).OnMarks, area - 0.05, area + 0.05);
    }

    [Fact]
    public void An_edge_map_finds_the_decoys_as_much_as_the_marks()
    {
        var (onMarks, onDecoys) = MeanMass(new EdgeMap());
        Assert.InRange(onMarks / onDecoys, 0.75, 1.33);
    }
}
