using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;

namespace Saliency.Grains.Workers;

/// <summary>Announces this worker silo to the registry once it is active, and then periodically.</summary>
internal sealed class WorkerAnnouncer(
    ILocalSiloDetails silo, IGrainFactory grains, ComputeQueue compute, IOptions<SaliencySiloOptions> options, ILogger<WorkerAnnouncer> logger)
    : SiloLoop
{
    protected override async Task Run(CancellationToken stopping)
    {
        var info = new WorkerInfo(silo.SiloAddress.ToParsableString(), silo.Name, compute.Slots, options.Value.Device);
        do
        {
            // Resolved on every round: until the cluster's manifest lists a coordinator silo, there is no registry to resolve.
            try { await grains.GetGrain<IWorkerRegistryGrain>(0).Announce(info); }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning("worker {Silo} could not announce itself: {Reason}", info.Name, error.Message);
            }
        }
        while (await Pause(WorkerRegistryGrain.AnnouncementPeriod, stopping));
    }
}
