using System.Collections.Concurrent;
using System.Reflection;
using Saliency.Grains.Contracts;

namespace Saliency.Grains.Hosting;

/// <summary>
/// Refuses a client's call to a method of Saliency's grains that only silos make (a worker's report, a registry's
/// announcement, a coordinator's start): a client may call only the methods marked <see cref="ClientFacingAttribute"/>.
/// A call is a silo's when it comes from a grain, or from the hosted client of a silo that is a member of this cluster
/// (code on a silo outside any grain: compute threads, the embedded <c>run</c>). The cluster knows silos and clients,
/// not users; what a client may do is in docs/cluster.md.
/// </summary>
internal sealed class SiloOnlyCallFilter(IClusterMembershipService membership) : IIncomingGrainCallFilter
{
    static readonly ConcurrentDictionary<MethodInfo, bool> ClientFacing = new();

    public Task Invoke(IIncomingGrainCallContext context)
    {
        var method = context.InterfaceMethod;
        if (method?.DeclaringType?.Namespace?.StartsWith("Saliency.", StringComparison.Ordinal) != true
            || ClientFacing.GetOrAdd(method, m => m.GetCustomAttribute<ClientFacingAttribute>() is not null)
            || IsSilo(context.SourceId))
            return context.Invoke();
        throw new SweepException($"{method.DeclaringType.Name}.{method.Name} is called only by silos; a client may not call it");
    }

    bool IsSilo(GrainId? source)
    {
        if (source is not { } id) return false;
        if (!id.IsClient()) return true;
        const string hosted = "hosted-";
        var key = id.Key.ToString();
        return key is not null && key.StartsWith(hosted, StringComparison.Ordinal)
            && SiloAddress.TryParse(key[hosted.Length..], out var silo)
            && membership.CurrentSnapshot.GetSiloStatus(silo) is not (SiloStatus.Dead or SiloStatus.None);
    }
}
