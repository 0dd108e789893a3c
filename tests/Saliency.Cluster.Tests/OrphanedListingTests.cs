using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Sweeps;

namespace Saliency.Cluster.Tests;

/// <summary>
/// A sweep listed as running whose coordinator never kept a state: what a crash, or storage going away, between the
/// directory's write and the coordinator's first leaves behind. The directory's stored state is written as that crash
/// would leave it, and the directory grain activated afresh to read it.
/// </summary>
public sealed class OrphanedListingTests
{
    static async Task PlantOrphan(SweepCluster cluster, string id, string name, TimeSpan? age = null)
    {
        var storage = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SaliencySiloBuilderExtensions.SweepStorage);
        var state = new SweepDirectoryState();
        state.Sweeps.Add(new SweepListing(id, name, SweepStatus.Running, DateTimeOffset.UtcNow - (age ?? TimeSpan.FromMinutes(10))));
        await storage.WriteStateAsync("directory", cluster.Client.GetGrain<ISweepDirectoryGrain>(0).GetGrainId(), new GrainState<SweepDirectoryState>(state));
        // The silo's resumer has activated the directory already; an idle activation collected now reads the planted state next.
        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
    }

    [Fact]
    public async Task The_name_is_free_again_and_cancel_answers_instead_of_throwing()
    {
        await using var cluster = await SweepCluster.Start();
        await PlantOrphan(cluster, "orphan-20261201-000000", "orphan");

        var cancelled = await cluster.Sweep("orphan-20261201-000000").Cancel();
        Assert.Equal(SweepStatus.Cancelled, cancelled.Status);
        Assert.Contains("never started", cancelled.Message);

        var ticket = await cluster.Submit(Specs.Small("orphan"));
        var progress = await cluster.WaitUntilFinished(ticket.SweepId);
        Assert.Equal(SweepStatus.Completed, progress.Status);
        var unknown = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Sweep("never-listed-20261201-000000").Cancel());
        Assert.Contains("no sweep with id 'never-listed-20261201-000000'", unknown.Message);
    }

    [Fact]
    public async Task The_resumer_marks_it_failed_and_goes_on_to_the_sweeps_listed_after_it()
    {
        await using var cluster = await SweepCluster.Start();
        await PlantOrphan(cluster, "orphan-20261201-000000", "orphan");
        var directory = cluster.Client.GetGrain<ISweepDirectoryGrain>(0);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        SweepListing listing;
        do
        {
            await Task.Delay(500);
            listing = (await directory.List()).Single(s => s.SweepId == "orphan-20261201-000000");
        } while (listing.Status == SweepStatus.Running && DateTime.UtcNow < deadline);

        Assert.Equal(SweepStatus.Failed, listing.Status);
        // A name held by a listing that is not running is free.
        var ticket = await cluster.Submit(Specs.Small("orphan"));
        Assert.NotEqual("orphan-20261201-000000", ticket.SweepId);
    }

    [Fact]
    public async Task A_listing_an_earlier_activation_made_is_an_orphan_at_once_without_waiting_out_the_grace()
    {
        await using var cluster = await SweepCluster.Start();
        // Listed a second ago by a directory that has since died with its silo, as a coordinator killed mid-submission leaves it.
        await PlantOrphan(cluster, "young-orphan-20261201-000000", "young-orphan", TimeSpan.FromSeconds(1));

        var ticket = await cluster.Submit(Specs.Small("young-orphan"));
        Assert.NotEqual("young-orphan-20261201-000000", ticket.SweepId);
        var listing = (await cluster.Client.GetGrain<ISweepDirectoryGrain>(0).List()).Single(s => s.SweepId == "young-orphan-20261201-000000");
        Assert.Equal(SweepStatus.Failed, listing.Status);
    }
}
