using Saliency.Grains.Contracts;

namespace Saliency.Cluster.Tests;

public sealed class StepLimitTests
{
    [Fact]
    public async Task A_sweep_asking_for_more_steps_than_the_cluster_allows_is_refused_while_another_sweep_completes()
    {
        await using var cluster = await SweepCluster.Start();

        var error = await Assert.ThrowsAsync<SweepException>(() =>
            cluster.Submit(Specs.Small("too-many-steps").Replace("steps: [8]", "steps: [8, 50000]")));
        var ticket = await cluster.Submit(Specs.Small("within-limit"));
        var progress = await cluster.WaitUntilFinished(ticket.SweepId);

        Assert.Contains("methods.ig.steps = 50000", error.Message);
        Assert.Contains("limit of 4096", error.Message);
        Assert.Equal(SweepStatus.Completed, progress.Status);
        Assert.Equal([ticket.SweepId], (await cluster.Client.GetGrain<ISweepDirectoryGrain>(0).List()).Select(s => s.SweepId));
    }
}
