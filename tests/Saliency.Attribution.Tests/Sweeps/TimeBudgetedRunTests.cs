using Saliency.Attribution.Data;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

public class TimeBudgetedRunTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    const string Spec = """
        name: budget
        data: fashion-mnist:test:0-9
        methods:
          ig: {baseline: uniform, steps: 8}
        metrics: [deletion]
        metric_step: 0.1
        seed: 7
        maps: 3
        """;

    readonly SweepSpec spec = SweepSpec.Parse(Spec, "spec.yaml");
    readonly ImageSet images = TestData.FirstTestImages(10);

    TrialRunner Runner() => new(spec, shipped.Model, () => throw new InvalidOperationException("no references here"));

    ShardOutcome Run(TimeSpan? budget, ImageRead? read = null) =>
        TimeBudgetedRun.Run(Runner(), spec.Trials[0], 2, 40, images.Keys, read ?? new ImageRead(images, []), spec.KeysWithMaps(images.Keys), budget);

    [Fact]
    public void Without_a_budget_every_image_is_done_and_the_outcome_says_which_positions_it_covers()
    {
        var outcome = Run(budget: null);

        Assert.Equal(images.Keys, outcome.Images.Select(i => i.Key));
        Assert.Equal((40, 10, 2), (outcome.Start, outcome.Count, outcome.Shard));
    }

    [Fact]
    public void A_spent_budget_still_does_one_image_and_covers_only_it()
    {
        var outcome = Run(TimeSpan.FromTicks(1));

        Assert.Equal([images.Keys[0]], outcome.Images.Select(i => i.Key));
        Assert.Equal((40, 1), (outcome.Start, outcome.Count));
    }

    [Fact]
    public void Chunks_under_an_ample_budget_give_exactly_the_outcomes_of_one_whole_run()
    {
        var whole = Run(budget: null);
        var chunked = Run(TimeSpan.FromHours(1));

        Assert.Equal((40, 10), (chunked.Start, chunked.Count));
        // The same images in other batches: equal to float rounding, not bit for bit.
        Assert.Equal(whole.Images.Select(i => (i.Key, i.Target)), chunked.Images.Select(i => (i.Key, i.Target)));
        for (var i = 0; i < whole.Images.Count; i++)
        {
            Assert.Equal(whole.Images[i].Score, chunked.Images[i].Score, 1e-4);
            Assert.Equal(whole.Images[i].AttributionSum, chunked.Images[i].AttributionSum, 1e-4);
            Assert.Equal(whole.Images[i].DeletionAuc!.Value, chunked.Images[i].DeletionAuc!.Value, 1e-4);
        }
        Assert.Equal(whole.Maps.Select(m => m.Key), chunked.Maps.Select(m => m.Key));
        for (var i = 0; i < whole.Maps.Count; i++)
            Assert.All(whole.Maps[i].Map.Zip(chunked.Maps[i].Map), pair => Assert.Equal(pair.First, pair.Second, 1e-4f));
    }

    [Fact]
    public void Skipped_images_count_as_covered_positions_and_travel_once_with_the_part_that_holds_them()
    {
        var readable = images.Select([0, 1, 2, 4, 5, 6, 7, 8, 9]);
        var skipped = new SkippedImage(images.Keys[3], "fourth.png", "empty file");
        var read = new ImageRead(readable, [skipped]);

        var first = Run(TimeSpan.FromTicks(1), read);
        var all = Run(TimeSpan.FromHours(1), read);

        Assert.Equal((40, 1, 0), (first.Start, first.Count, first.Skipped!.Count));
        Assert.Equal((40, 10), (all.Start, all.Count));
        Assert.Equal([skipped], all.Skipped!);
        Assert.Equal(readable.Keys, all.Images.Select(i => i.Key));
    }
}
