using Saliency.Attribution.Metrics;
using Saliency.Attribution.Results;
using Saliency.Grains.Contracts;
using Saliency.Web.Runs;

namespace Saliency.Web.Sources;

/// <summary>
/// Sweeps known from their run directories alone, with no cluster (<c>saliency view RUN_DIR</c>): progress is counted from
/// the logs. A directory with result files is completed when every work item settled and stopped otherwise; one without
/// is running while its log grew within <see cref="QuietLimit"/>, and stopped after.
/// </summary>
public sealed class RunDirectorySource : ISweepSource
{
    public static readonly TimeSpan QuietLimit = TimeSpan.FromSeconds(60);

    readonly IReadOnlyDictionary<string, LiveRunDirectory> runs;

    /// <exception cref="FileNotFoundException">A folder is not a run directory.</exception>
    /// <exception cref="ArgumentException">Two folders hold the same sweep.</exception>
    public RunDirectorySource(IEnumerable<string> directories)
    {
        var byId = new Dictionary<string, LiveRunDirectory>();
        foreach (var directory in directories)
        {
            var run = new LiveRunDirectory(directory);
            if (!byId.TryAdd(run.SweepId, run)) throw new ArgumentException($"'{directory}' and '{byId[run.SweepId].Directory}' hold the same sweep, {run.SweepId}");
        }
        runs = byId;
    }

    public Task<IReadOnlyList<SweepEntry>> List(CancellationToken cancellation) =>
        Task.FromResult<IReadOnlyList<SweepEntry>>(runs.Values.Select(run => new SweepEntry(run.SweepId, run.Name, Progress(run).Status,
            File.GetCreationTimeUtc(Path.Combine(run.Directory, RunDirectoryFile.FileName)))).ToList());

    public Task<SweepState?> State(string id, CancellationToken cancellation) =>
        Task.FromResult(runs.TryGetValue(id, out var run) ? new SweepState(Progress(run), run) : null);

    /// <summary>The sweep's progress counted from its logs, in the form the coordinator reports it.</summary>
    public static SweepProgress Progress(LiveRunDirectory run)
    {
        var snapshot = run.Snapshot();
        var imageCount = run.Images.Count;
        var shardsPerTrial = run.Spec.ShardCount(imageCount);
        var trials = snapshot.Summaries.OrderBy(s => s.Trial.Index).Select(s =>
        {
            var done = snapshot.Shards.GetValueOrDefault(s.Trial.Index);
            return new TrialProgress(s.Trial.Index, s.Trial.Label, done, shardsPerTrial, 0, s.Images,
                s.Metric(DeletionMetric.AucColumn)?.Mean, s.Metric(InsertionMetric.AucColumn)?.Mean, s.Metric(CompletenessMetric.AbsDeltaColumn)?.Mean,
                s.ImagesPerSecond, s.Failure);
        }).ToList();
        var total = trials.Count * shardsPerTrial;
        var done = snapshot.Shards.Values.Sum();
        var settled = done + snapshot.WorkItemsFailed >= total;
        var lastWrite = File.GetLastWriteTimeUtc(ResultLog.PathIn(run.Directory));
        var status = run.HasResultFiles ? settled ? SweepStatus.Completed : SweepStatus.Stopped
            : DateTime.UtcNow - lastWrite < QuietLimit ? SweepStatus.Running : SweepStatus.Stopped;
        var elapsed = snapshot is { FirstLogged: { } first, LastLogged: { } last } ? (last - first).TotalSeconds : 0;
        var images = trials.Sum(t => t.Images);
        return new SweepProgress(run.SweepId, run.Name, status, run.Directory, total, done, snapshot.WorkItemsFailed, 0, 0, 0,
            elapsed > 0 ? images / elapsed : 0, elapsed, null, trials, (long)imageCount * trials.Count, run.Spec.Objective.Name,
            Schedule: run.Spec.Schedule.ToString());
    }
}
