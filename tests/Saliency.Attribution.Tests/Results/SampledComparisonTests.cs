using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics.Localisation;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Results;

public class SampledComparisonTests
{
    static readonly ImageShape Shape = new(1, 6, 6);
    static readonly Trial Only = new(0, "ig", new Dictionary<string, string> { ["baseline"] = "black" });

    [Fact]
    public void The_sheet_carries_the_masks_of_the_images_it_shows_in_its_row_order()
    {
        using var run = new RunDirectory();
        var masks = Enumerable.Range(0, 4).Select(key => GroundTruthMask.Box(6, 6, key, 0, 1, 6)).ToArray();
        var images = Images(masks);
        SaveMaps(run, keys: [3, 1]);

        var sheet = new SampledComparison([Only], [3, 1]).Build(run.Path, images, new Dictionary<(int, int), ImageOutcome>());

        Assert.Equal(new GroundTruthMask?[] { masks[3], masks[1] }, sheet.Masks);
    }

    [Fact]
    public void Images_without_masks_make_a_sheet_without_masks()
    {
        using var run = new RunDirectory();
        SaveMaps(run, keys: [0]);

        var sheet = new SampledComparison([Only], [0]).Build(run.Path, Images(masks: null), new Dictionary<(int, int), ImageOutcome>());

        Assert.Null(sheet.Masks);
    }

    static ImageSet Images(IReadOnlyList<GroundTruthMask>? masks) =>
        new("synthetic", Shape, new float[4 * Shape.Size], [0, 1, 2, 3], [0, 0, 0, 0], masks: masks);

    static void SaveMaps(RunDirectory run, int[] keys)
    {
        foreach (var key in keys) MapStore.Write(run.Path, Only.Index, new SampledMap(key, 1, 6, 6, new float[Shape.Size]));
    }
}
