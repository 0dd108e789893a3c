using Saliency.Grains.Contracts;
using Saliency.Web.Runs;

namespace Saliency.Web.Sources;

/// <summary>One sweep as the view lists it.</summary>
public sealed record SweepEntry(string Id, string Name, SweepStatus Status, DateTimeOffset? Submitted);

/// <summary>A sweep's progress, in the form <c>saliency status --json</c> prints, and its run directory where this machine can read it.</summary>
/// <param name="Unreadable">Why the run directory cannot be read here (it is on another machine), when it cannot.</param>
public sealed record SweepState(SweepProgress Progress, LiveRunDirectory? Run, string? Unreadable = null);

/// <summary>Where the view learns which sweeps there are and how far each has come: a cluster's coordinator, or run directories alone.</summary>
public interface ISweepSource
{
    Task<IReadOnlyList<SweepEntry>> List(CancellationToken cancellation);

    /// <summary>The sweep's state; null for an id this source does not know.</summary>
    Task<SweepState?> State(string id, CancellationToken cancellation);
}
