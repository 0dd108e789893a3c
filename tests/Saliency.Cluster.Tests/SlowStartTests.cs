using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Storage;

namespace Saliency.Cluster.Tests;

/// <summary>
/// A coordinator's start that outlives the directory's call to it, as an admission counting millions of images or a
/// slow store does: here the silos' call timeout is 2 s and the first store of each sweep's state takes 4 s. The
/// start goes on without its caller, so its listing must stay for the sweep to be followed and resumed.
/// </summary>
public sealed class SlowStartTests
{
    static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);
    static readonly TimeSpan FirstWrite = TimeSpan.FromSeconds(4);

    /// <summary>The silo's own sweep storage, whose first write of a sweep's state takes <see cref="FirstWrite"/>.</summary>
    sealed class SlowFirstWrite(IGrainStorage inner) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (stateName == "sweep" && !grainState.RecordExists) await Task.Delay(FirstWrite);
            await inner.WriteStateAsync(stateName, grainId, grainState);
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }

    static void SlowToStart(ISiloBuilder silo)
    {
        silo.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = CallTimeout);
        silo.Services.AddKeyedSingleton<IGrainStorage>(SaliencySiloBuilderExtensions.SweepStorage, (provider, _) => new SlowFirstWrite(new FileGrainStorage(
            provider.GetRequiredService<IOptions<SaliencySiloOptions>>().Value.StateDirectory, provider.GetRequiredService<Serializer>())));
    }

    [Fact]
    public async Task A_start_that_outlives_its_call_stays_listed_names_the_sweep_and_runs_to_the_end()
    {
        await using var cluster = await SweepCluster.Start(configure: SlowToStart);
        var directory = cluster.Client.GetGrain<ISweepDirectoryGrain>(0);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Submit(Specs.Small("slow-start")));

        var listing = Assert.Single(await directory.List());
        Assert.Equal(SweepStatus.Running, listing.Status);
        Assert.Contains($"sweep {listing.SweepId} is still starting", error.Message);
        var progress = await cluster.WaitUntilFinished(listing.SweepId);
        Assert.Equal(SweepStatus.Completed, progress.Status);
        Assert.Equal(3 * 24, SweepCluster.Log(progress).Sum(o => o.Images.Count));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await directory.List()).Single().Status != SweepStatus.Completed && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Equal(SweepStatus.Completed, (await directory.List()).Single().Status);
    }
}
