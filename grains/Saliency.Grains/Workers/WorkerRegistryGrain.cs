using Saliency.Grains.Contracts;

namespace Saliency.Grains.Workers;

/// <summary>
/// Live worker silos, from their periodic announcements, cross-checked with cluster membership so
/// a silo declared dead is dropped at once rather than when its announcements stop.
/// Kept in memory: after a restart, the next round of announcements fills it again.
/// </summary>
internal sealed class WorkerRegistryGrain(IClusterMembershipService membership) : Grain, IWorkerRegistryGrain
{
    public static readonly TimeSpan AnnouncementPeriod = TimeSpan.FromSeconds(2);
    static readonly TimeSpan Silence = AnnouncementPeriod * 5;

    readonly Dictionary<string, (WorkerInfo Info, DateTime Seen)> workers = new();

    public Task Announce(WorkerInfo worker)
    {
        workers[worker.Silo] = (worker, DateTime.UtcNow);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WorkerInfo>> LiveWorkers()
    {
        var snapshot = membership.CurrentSnapshot;
        var now = DateTime.UtcNow;
        IReadOnlyList<WorkerInfo> live = workers.Values
            .Where(w => now - w.Seen < Silence && snapshot.GetSiloStatus(SiloAddress.FromParsableString(w.Info.Silo)) == SiloStatus.Active)
            .Select(w => w.Info).OrderBy(w => w.Silo, StringComparer.Ordinal).ToArray();
        return Task.FromResult(live);
    }
}
