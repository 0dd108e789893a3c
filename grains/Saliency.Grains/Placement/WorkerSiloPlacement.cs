using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Saliency.Grains.Placement;

/// <summary>
/// Places a worker grain on the silo its key names, so a coordinator addresses each worker silo
/// directly and balances work by the capacity each one announced. A key naming a silo that is gone
/// or does not host workers fails the call instead of quietly running elsewhere.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
internal sealed class WorkerSiloPlacement : PlacementStrategy
{
    internal static WorkerSiloPlacement Instance { get; } = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class WorkerSiloPlacementAttribute() : PlacementAttribute(WorkerSiloPlacement.Instance);

internal sealed class WorkerSiloPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        var silo = SiloAddress.FromParsableString(key);
        if (context.GetCompatibleSilos(target).Contains(silo)) return Task.FromResult(silo);
        throw new SiloUnavailableException($"worker silo {key} is not active or does not host workers");
    }
}
