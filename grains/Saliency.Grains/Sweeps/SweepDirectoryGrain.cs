using Saliency.Grains.Contracts;
using Saliency.Grains.Placement;
using Saliency.Grains.Storage;

namespace Saliency.Grains.Sweeps;

[GenerateSerializer]
internal sealed class SweepDirectoryState
{
    [Id(0)] public List<SweepListing> Sweeps { get; set; } = new();
}

/// <summary>The cluster's durable list of sweeps: gives ids, keeps a running sweep's name unique, and lists what to resume.</summary>
/// <remarks>On the coordinator silo with the sweeps: its state is in files there too, unless the silos share Redis.</remarks>
[CoordinatorSiloPlacement]
internal sealed class SweepDirectoryGrain([PersistentState("directory", "sweeps")] IPersistentState<SweepDirectoryState> directory)
    : Grain, ISweepDirectoryGrain
{
    public async Task<SweepTicket> Submit(SweepSubmission submission)
    {
        // Admission parses the spec, and checks the name the sweep's id and run directory are made of; the coordinator's admission finds it parsed.
        var name = SweepAdmission.NameOf(submission);
        var running = directory.State.Sweeps.FirstOrDefault(s => s.Name == name && s.Status == SweepStatus.Running);
        if (running is not null && await IsOrphan(running))
        {
            Fail(running);
            running = null;
        }
        if (running is not null)
            throw new InvalidOperationException($"sweep name '{name}' is taken by sweep {running.SweepId}, which is still running; cancel it or choose another name");
        var now = DateTimeOffset.UtcNow;
        var id = SweepIds.Mint(name, now, taken => directory.State.Sweeps.Any(s => s.SweepId == taken));
        var listing = new SweepListing(id, name, SweepStatus.Running, now);
        directory.State.Sweeps.Add(listing);
        await directory.WriteAsSoleWriterAsync();
        var coordinator = GrainFactory.GetGrain<ISweepCoordinatorGrain>(id);
        try
        {
            return await coordinator.Start(submission);
        }
        catch (Exception error)
        {
            if (await FailedStart.KeepsListing(coordinator.Exists))
            {
                if (error is TimeoutException timeout) throw FailedStart.StillStarting(id, timeout);
                throw;
            }
            directory.State.Sweeps.Remove(listing);
            await directory.WriteAsSoleWriterAsync();
            throw;
        }
    }

    public async Task SetStatus(string sweepId, SweepStatus status)
    {
        var index = directory.State.Sweeps.FindIndex(s => s.SweepId == sweepId);
        if (index < 0 || directory.State.Sweeps[index].Status == status) return;
        directory.State.Sweeps[index] = directory.State.Sweeps[index] with { Status = status };
        await directory.WriteAsSoleWriterAsync();
    }

    public Task<IReadOnlyList<SweepListing>> List() => Task.FromResult<IReadOnlyList<SweepListing>>(directory.State.Sweeps.ToArray());

    public async Task<IReadOnlyList<string>> FailOrphans()
    {
        var orphans = new List<SweepListing>();
        foreach (var listing in directory.State.Sweeps.Where(s => s.Status == SweepStatus.Running).ToList())
            if (await IsOrphan(listing)) orphans.Add(listing);
        if (orphans.Count == 0) return [];
        foreach (var orphan in orphans) Fail(orphan);
        await directory.WriteAsSoleWriterAsync();
        return orphans.Select(o => o.SweepId).ToList();
    }

    /// <summary>How long a coordinator has to keep its first state after its sweep is listed; a start takes well under a second.</summary>
    static readonly TimeSpan StartGrace = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A listing made by an earlier activation of this grain cannot have its start still in flight: that
    /// start ran inside the earlier activation's <see cref="Submit"/>, which died with it (a coordinator
    /// killed during a submission). Only a listing this activation made waits out the grace.
    /// </summary>
    readonly DateTimeOffset activated = DateTimeOffset.UtcNow;

    async Task<bool> IsOrphan(SweepListing listing) =>
        (listing.Submitted < activated || DateTimeOffset.UtcNow - listing.Submitted > StartGrace)
        && !await GrainFactory.GetGrain<ISweepCoordinatorGrain>(listing.SweepId).Exists();

    void Fail(SweepListing listing)
    {
        var index = directory.State.Sweeps.IndexOf(listing);
        if (index >= 0) directory.State.Sweeps[index] = listing with { Status = SweepStatus.Failed };
    }

}
