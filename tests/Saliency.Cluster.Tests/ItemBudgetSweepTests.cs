using Saliency.Grains.Contracts;

namespace Saliency.Cluster.Tests;

/// <summary>Work items that stop at their time budget: the rest of the shard goes out again, and each image lands once.</summary>
public sealed class ItemBudgetSweepTests
{
    [Fact]
    public async Task Items_that_stop_at_their_budget_leave_every_image_computed_exactly_once()
    {
        const string spec = """
            name: item-budget
            model: fashion-cnn
            data: fashion-mnist:test:0-39
            methods:
              ig: { steps: [8] }
              gradient: {}
            metrics: [deletion, insertion]
            metric_step: 0.05
            shard: 16
            item_seconds: 0.001
            maps: 3
            """;
        await using var cluster = await SweepCluster.Start();

        var ticket = await cluster.Submit(spec);
        var progress = await cluster.WaitUntilFinished(ticket.SweepId);

        Assert.Equal(SweepStatus.Completed, progress.Status);
        Assert.Equal((6, 6, 0), (progress.WorkItemsTotal, progress.WorkItemsDone, progress.WorkItemsFailed));
        var log = SweepCluster.Log(progress);
        Assert.True(log.Count > 6, $"{log.Count} outcomes logged for 6 work items: no item stopped at its budget");
        foreach (var trial in new[] { 0, 1 })
        {
            var keys = log.Where(o => o.Trial == trial).SelectMany(o => o.Images).Select(i => i.Key).Order();
            Assert.Equal(Enumerable.Range(0, 40), keys);
            Assert.Equal(40, progress.Trials[trial].Images);
        }
        Assert.Equal(1 + 2 * 40, File.ReadAllLines(Path.Combine(progress.RunDirectory, "images.csv")).Length);
        Assert.Equal(3 * 2, Directory.GetFiles(Path.Combine(progress.RunDirectory, "maps"), "*", SearchOption.AllDirectories).Length);
    }
}
