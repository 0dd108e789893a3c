using System.Diagnostics;
using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Saliency.Grains.Placement;

/// <summary>
/// Places a grain on the one silo that hosts every coordinator grain (<see cref="CoordinatorSilo"/>). A sweep's result
/// log and run directory are files on its coordinator's machine, so a coordinator activated on another coordinator
/// silo would find none and compute the sweep again; pinned, the sweep directory, every sweep and their files stay
/// on one machine while it lives.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
internal sealed class CoordinatorSiloPlacement : PlacementStrategy
{
    internal static CoordinatorSiloPlacement Instance { get; } = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class CoordinatorSiloPlacementAttribute() : PlacementAttribute(CoordinatorSiloPlacement.Instance);

internal sealed class CoordinatorSiloPlacementDirector(IClusterMembershipService membership, IClusterManifestProvider manifests) : IPlacementDirector
{
    /// <summary>How long a placement waits for this silo to learn which grains every active silo hosts.</summary>
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        // A silo that has just joined learns what the others host in the background; until then it sees itself as the only
        // coordinator silo. A silo killed before this one learnt of it holds the wait until it is declared dead.
        var waited = Stopwatch.StartNew();
        while (!CoordinatorSilo.KnowsEvery(ActiveSilos(), manifests.Current.Silos.Keys) && waited.Elapsed < Patience)
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        return CoordinatorSilo.Of(context.GetCompatibleSilos(target));
    }

    IEnumerable<SiloAddress> ActiveSilos() =>
        membership.CurrentSnapshot.Members.Values.Where(member => member.Status == SiloStatus.Active).Select(member => member.SiloAddress);
}

/// <summary>
/// Which coordinator silo hosts the coordinator grains: the oldest active one (the lowest generation, which is a silo's
/// start time; ties go by address), so every silo that places one, with the same view of the cluster, picks the same.
/// A coordinator silo that joins later is a standby: it takes the grains only once the first has left the cluster.
/// </summary>
internal static class CoordinatorSilo
{
    /// <param name="candidates">The active silos that host coordinator grains.</param>
    /// <exception cref="SiloUnavailableException">There is none.</exception>
    public static SiloAddress Of(IReadOnlyCollection<SiloAddress> candidates) => candidates.Count == 0
        ? throw new SiloUnavailableException("no coordinator silo is active in the cluster")
        : candidates.OrderBy(silo => silo.Generation).ThenBy(silo => silo).First();

    /// <summary>Whether a silo knows the grains of every active silo, so that the coordinator silos it sees are all there are.</summary>
    /// <param name="active">The active silos, as membership has them.</param>
    /// <param name="described">The silos whose grains this silo knows.</param>
    public static bool KnowsEvery(IEnumerable<SiloAddress> active, IEnumerable<SiloAddress> described) => active.ToHashSet().IsSubsetOf(described);
}
