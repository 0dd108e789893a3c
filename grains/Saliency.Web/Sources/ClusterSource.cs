using System.Collections.Concurrent;
using Saliency.Grains.Contracts;
using Saliency.Web.Runs;

namespace Saliency.Web.Sources;

/// <summary>
/// Sweeps as the cluster knows them, asked of its grains through the silo's own grain factory: the list from the sweep
/// directory, progress from each sweep's coordinator (the very record <c>saliency status --json</c> prints), and the trials,
/// maps and curves from the run directory the coordinator writes, where it is on this machine.
/// </summary>
public sealed class ClusterSource(IGrainFactory grains) : ISweepSource
{
    readonly ConcurrentDictionary<string, Lazy<LiveRunDirectory?>> runs = new();
    readonly ConcurrentDictionary<string, string> unreadable = new();

    public async Task<IReadOnlyList<SweepEntry>> List(CancellationToken cancellation) =>
        (await grains.GetGrain<ISweepDirectoryGrain>(0).List()).Select(s => new SweepEntry(s.SweepId, s.Name, s.Status, s.Submitted)).ToList();

    public async Task<SweepState?> State(string id, CancellationToken cancellation)
    {
        var listed = await grains.GetGrain<ISweepDirectoryGrain>(0).List();
        if (!listed.Any(s => s.SweepId == id)) return null;
        var progress = await grains.GetGrain<ISweepCoordinatorGrain>(id).GetProgress();
        var run = string.IsNullOrEmpty(progress.RunDirectory) ? null : runs.GetOrAdd(id, _ => new Lazy<LiveRunDirectory?>(() =>
        {
            try { return new LiveRunDirectory(progress.RunDirectory); }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
            {
                unreadable[id] = $"the run directory {progress.RunDirectory} is not on this machine: serve the view from the coordinator's silo";
                return null;
            }
        })).Value;
        // Not there yet (the coordinator is admitting the sweep) or not on this machine: asked again next time.
        if (run is null) runs.TryRemove(id, out _);
        return new SweepState(progress, run, run is null ? unreadable.GetValueOrDefault(id) : null);
    }
}
