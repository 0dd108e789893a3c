using Saliency.Attribution.Data;
using Saliency.Attribution.Data.Planted;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests.Planted;

/// <summary>
/// The localisation metrics on the planted photographs: the model-blind controls score chance on the first
/// <see cref="PhotosPlantedFixture.Listed"/> listed images, and the gradient, which reads the model, finds the marks.
/// </summary>
public class PhotosPlantedLocalisationTests(PhotosPlantedFixture fixture) : PlantedLocalisationSpecification, IClassFixture<PhotosPlantedFixture>
{
    protected override ImageClassifier Model => fixture.Model;
    protected override ImageSet Images => fixture.ListedImages;
    protected override IPlantedImages Split => fixture.TestSplit;

    [Fact]
    public void The_gradient_finds_the_marks_better_than_both_controls_and_ignores_the_decoys()
    {
        var controls = Controls();
        var (onMarks, onDecoys) = MeanMass(new VanillaGradient());
        Assert.True(onMarks > controls, $"gradient: {onMarks:F3} on the marks, controls {controls:F3}");
        Assert.True(onMarks > 2 * onDecoys, $"gradient: {onMarks:F3} on the marks, {onDecoys:F3} on the decoys");
    }
}
