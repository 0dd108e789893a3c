using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Saliency.Grains.Hosting;

namespace Saliency.Grains.Workers;

/// <summary>Announces this worker silo to the registry once it is active, and then periodically.</summary>
public sealed class WorkerAnnouncer(
    ILocalSiloDetails silo, IGrainFactory grains, ComputeQueue compute, IOptions<SaliencySiloOptions> options, ILogger<WorkerAnnouncer> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    readonly CancellationTokenSource stopping = new();
    Task? loop;

    public void Dispose() => stopping.Dispose();

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(WorkerAnnouncer), ServiceLifecycleStage.Active,
        _ => { loop = Task.Run(AnnounceUntilStopped, CancellationToken.None); return Task.CompletedTask; },
        async _ => { stopping.Cancel(); if (loop is not null) await loop; });

    async Task AnnounceUntilStopped()
    {
        var info = new WorkerInfo(silo.SiloAddress.ToParsableString(), silo.Name, compute.Slots, options.Value.Device);
        using var timer = new PeriodicTimer(WorkerRegistryGrain.AnnouncementPeriod);
        do
        {
            // Resolved on every round: until the cluster's manifest lists a coordinator silo, there is no registry to resolve.
            try { await grains.GetGrain<IWorkerRegistryGrain>(0).Announce(info); }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning("worker {Silo} could not announce itself: {Reason}", info.Name, error.Message);
            }
        }
        while (await Wait(timer));
    }

    async Task<bool> Wait(PeriodicTimer timer)
    {
        try { return await timer.WaitForNextTickAsync(stopping.Token); }
        catch (OperationCanceledException) { return false; }
    }
}
