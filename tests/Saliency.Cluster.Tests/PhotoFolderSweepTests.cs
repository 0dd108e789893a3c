using Saliency.Attribution.Data;
using Saliency.Attribution.Results;
using Saliency.Grains.Contracts;

namespace Saliency.Cluster.Tests;

/// <summary>Sweeps over folders of image files: ranges of a folder, and files that cannot be read.</summary>
public sealed class PhotoFolderSweepTests
{
    public static string Spec(string name, string data, string extra = "") => $$"""
        name: {{name}}
        model: fashion-cnn
        data: {{data}}
        methods:
          gradient: {}
          random: {}
        metrics: [deletion]
        metric_step: 0.05
        shard: 16
        maps: 2
        {{extra}}
        """;

    [Fact]
    public async Task A_range_of_a_folder_sweeps_exactly_those_images()
    {
        var root = GeneratedImageFolder.Create(130);
        await using var cluster = await SweepCluster.Start();

        var ticket = await cluster.Submit(Spec("folder-range", $"folder:{root}:0-99"));
        var progress = await cluster.WaitUntilFinished(ticket.SweepId);

        Assert.Equal(SweepStatus.Completed, progress.Status);
        Assert.Equal(2 * 7, progress.WorkItemsTotal);
        var catalog = ImageSelection.Parse($"folder:{root}").Open(new ImageShape(1, 28, 28));
        foreach (var trial in new[] { 0, 1 })
        {
            var images = SweepCluster.Log(progress).Where(o => o.Trial == trial).SelectMany(o => o.Images).OrderBy(i => i.Key).ToList();
            Assert.Equal(Enumerable.Range(0, 100), images.Select(i => i.Key));
            Assert.Equal(catalog.Labels.Take(100), images.Select(i => i.Label));
        }
        Assert.True(File.Exists(Path.Combine(progress.RunDirectory, "comparison.png")));
        Assert.False(File.Exists(Path.Combine(progress.RunDirectory, SweepResultsWriter.SkippedFileName)));
    }

    [Fact]
    public async Task Skipped_bad_images_are_named_in_the_results_and_every_other_image_is_computed()
    {
        var root = GeneratedImageFolder.Create(40);
        var catalog = ImageSelection.Parse($"folder:{root}").Open(new ImageShape(1, 28, 28));
        var (empty, truncated) = (catalog.Describe(5), catalog.Describe(17));
        File.WriteAllBytes(empty, []);
        File.WriteAllBytes(truncated, File.ReadAllBytes(truncated)[..60]);
        await using var cluster = await SweepCluster.Start();

        var ticket = await cluster.Submit(Spec("bad-images-skipped", $"folder:{root}", "on_bad_image: skip"));
        var progress = await cluster.WaitUntilFinished(ticket.SweepId);

        Assert.Equal(SweepStatus.Completed, progress.Status);
        Assert.Equal(0, progress.WorkItemsFailed);
        var keys = SweepCluster.Log(progress).Where(o => o.Trial == 0).SelectMany(o => o.Images).Select(i => i.Key).Order();
        Assert.Equal(Enumerable.Range(0, 40).Except([5, 17]), keys);
        var skipped = File.ReadAllLines(Path.Combine(progress.RunDirectory, SweepResultsWriter.SkippedFileName));
        Assert.Equal("key,file,reason", skipped[0]);
        Assert.StartsWith($"5,{empty},empty file", skipped[1]);
        Assert.StartsWith($"17,{truncated},", skipped[2]);
        Assert.Equal(3, skipped.Length);
    }

    [Fact]
    public async Task A_bad_image_fails_only_the_work_items_that_hold_it_naming_the_file_without_retrying()
    {
        var root = GeneratedImageFolder.Create(40);
        var bad = ImageSelection.Parse($"folder:{root}").Open(new ImageShape(1, 28, 28)).Describe(20);
        File.WriteAllText(bad, "not a png");
        await using var cluster = await SweepCluster.Start();

        var ticket = await cluster.Submit(Spec("bad-image-fails", $"folder:{root}"));
        var progress = await cluster.WaitUntilFinished(ticket.SweepId);

        Assert.Equal(SweepStatus.Completed, progress.Status);
        Assert.Equal(2, progress.WorkItemsFailed);
        Assert.Equal(0, progress.Retries);
        Assert.All(progress.Trials, t => Assert.Contains(bad, t.Failure));
        var logged = SweepCluster.Log(progress);
        Assert.Equal(4, logged.Count);
        Assert.DoesNotContain(logged, o => o.Shard == 1);
    }

    [Fact]
    public async Task Progress_and_the_eta_move_before_the_first_work_item_lands()
    {
        // One work item long enough to report several times: every second pixel a step of deletion and of insertion.
        const string spec = """
            name: long-item
            model: fashion-cnn
            data: fashion-mnist:test:0-31
            methods: { gradient: {} }
            metrics: [deletion, insertion]
            metric_step: 2
            shard: 32
            maps: 0
            """;
        await using var cluster = await SweepCluster.Start();

        var ticket = await cluster.Submit(spec);
        var early = await cluster.WaitFor(ticket.SweepId, p => p.Finished || p.ImagesDone > 0);

        Assert.Equal(0, early.WorkItemsDone);
        Assert.InRange(early.ImagesDone, 1e-9, 31);
        Assert.Equal(32, early.ImagesTotal);
        Assert.NotNull(early.EtaSeconds);
        Assert.True(early.ImagesPerSecond > 0);
        var finished = await cluster.WaitUntilFinished(ticket.SweepId);
        Assert.Equal(SweepStatus.Completed, finished.Status);
        Assert.Equal(32, finished.ImagesDone);
    }
}
