using Saliency.Attribution.Metrics.Localisation;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Planted;

/// <summary>A trial on the planted benchmark scores every image's map against its mask with each localisation metric asked for.</summary>
public class PlantedSweepTests(PlantedBenchmarkFixture fixture) : IClassFixture<PlantedBenchmarkFixture>
{
    [Fact]
    public void Each_localisation_metric_of_the_spec_is_measured_on_every_image_as_the_metric_itself_scores_it()
    {
        var spec = SweepSpec.Parse("""
            name: planted
            model: fashion-planted
            data: fashion-planted:test:0-7
            methods: {gradient: {}}
            metrics: [relevance-mass, pointing-game, mask-auc]
            """, "planted.yaml");
        var images = spec.OpenImages().ReadAll();
        var runner = new TrialRunner(spec, fixture.Model, () => throw new InvalidOperationException("no references"));

        var outcome = runner.Run(spec.Trials[0], 0, images, new HashSet<int>());
        var maps = new Methods.VanillaGradient().Attribute(fixture.Model, images, spec.Target);

        Assert.Equal(8, outcome.Images.Count);
        for (var i = 0; i < 8; i++)
        {
            var image = outcome.Images[i];
            Assert.Equal(["mask_auc", "pointing_game", "relevance_mass"], image.Metrics!.Keys.Order());
            Assert.Equal(new RelevanceMass().Score(maps[i].Map, images.Masks![i]), image.Metric("relevance_mass")!.Value, 6);
            Assert.Equal(new MaskAuc().Score(maps[i].Map, images.Masks[i]), image.Metric("mask_auc")!.Value, 6);
        }
    }
}
