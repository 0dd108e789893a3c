using Microsoft.Extensions.DependencyInjection;
using Saliency.Grains.Contracts;

namespace Saliency.Cluster.Tests;

/// <summary>
/// A cluster with two coordinator silos: every coordinator grain is on the first, whichever silo places it, so each
/// sweep's logs stay on one machine; the second is a standby that takes the sweeps whole once the first dies (the two
/// share one artifact root here, as two coordinators on one machine or on a shared filesystem would).
/// </summary>
public sealed class CoordinatorPinningTests
{
    [Fact]
    public async Task Every_sweep_is_placed_on_the_first_coordinator_silo_until_it_dies_then_on_the_standby()
    {
        await using var cluster = await SweepCluster.Start();
        var standby = await cluster.Cluster.StartAdditionalSiloAsync();
        var first = cluster.Silo("Silo_0").SiloAddress;
        var management = cluster.Client.GetGrain<IManagementGrain>(0);

        // Activated by a call from the standby, which Orleans would otherwise rather place on the silo that calls.
        var fromStandby = standby.ServiceProvider.GetRequiredService<IGrainFactory>();
        for (var i = 0; i < 8; i++)
        {
            var sweep = fromStandby.GetGrain<ISweepCoordinatorGrain>($"probe-20261201-00000{i}");
            Assert.False(await sweep.Exists());
            Assert.Equal(first, await management.GetActivationAddress(sweep));
        }
        Assert.Equal(first, await management.GetActivationAddress(cluster.Client.GetGrain<ISweepDirectoryGrain>(0)));

        var id = (await cluster.Submit(Specs.Longer("pinned-then-moved"))).SweepId;
        await cluster.WaitFor(id, p => p.WorkItemsDone >= 4);
        Assert.Equal(first, await management.GetActivationAddress(cluster.Sweep(id)));
        await cluster.Cluster.KillSiloAsync(cluster.Silo("Silo_0"));

        var progress = await cluster.WaitUntilFinished(id);
        Assert.Equal(SweepStatus.Completed, progress.Status);
        var keys = SweepCluster.Log(progress).SelectMany(o => o.Images.Select(image => (o.Trial, image.Key))).ToList();
        Assert.Equal((2 * 192, 2 * 192), (keys.Count, keys.Distinct().Count()));
        Assert.Equal(standby.SiloAddress, await management.GetActivationAddress(cluster.Sweep(id)));
    }
}
