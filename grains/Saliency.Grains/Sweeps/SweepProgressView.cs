using Saliency.Attribution.Results;

namespace Saliency.Grains.Sweeps;

/// <summary>What a sweep's progress says, built from its state, plan, ledger and dispatch window; it changes none of them.</summary>
public static class SweepProgressView
{
    /// <param name="running">The plan, ledger and window of a sweep that has been prepared; null before.</param>
    /// <param name="recordingEnd">True while the status a session ended with is being stored: it shows as running until then.</param>
    public static SweepProgress Of(string sweepId, SweepState state, double elapsed, (SweepPlan Plan, SweepLedger Ledger, DispatchWindow Window)? running,
        bool recordingEnd)
    {
        TrialProgress[] trials = [];
        if (running is var (plan, ledger, window))
        {
            var inFlight = window.ImagesInFlight();
            trials = ledger.Aggregates.Select(a =>
            {
                var i = a.Trial.Index;
                var summary = a.Summary();
                return new TrialProgress(i, a.Trial.Label, ledger.ShardsDone(i), plan.ShardCount, ledger.ShardsFailed(i), a.Images,
                    summary.Metric(MetricNames.DeletionAuc)?.Mean, summary.Metric(MetricNames.InsertionAuc)?.Mean,
                    summary.Metric(MetricNames.AbsDelta)?.Mean, a.ImagesPerSecond, TrialFailure(state, ledger, i), inFlight[i]);
            }).ToArray();
        }
        var images = trials.Sum(t => t.Images + t.ImagesInFlight);
        var (status, message) = recordingEnd
            ? (SweepStatus.Running, $"ending as {state.Status.ToString().ToLowerInvariant()}: recording that status")
            : (state.Status, state.Message);
        return new SweepProgress(sweepId, state.Name, status, state.RunDirectory, running?.Plan.WorkItemCount ?? 0, running?.Ledger.Done ?? 0,
            running?.Ledger.Failed ?? 0, running?.Window.InFlight ?? 0, state.Retries, state.DuplicatesDropped, elapsed > 0 ? images / elapsed : 0,
            elapsed, message, trials, running is var (p, _, _) ? (long)p.TrialCount * p.ImageCount : 0, running?.Plan.Spec.Objective.Name);
    }

    static string? TrialFailure(SweepState state, SweepLedger ledger, int trial) => state.Failures.FirstOrDefault(f => f.Trial == trial) is { } f
        ? $"{ledger.ShardsFailed(trial)} shard(s) failed; first: shard {f.Shard}: {f.Reason}" : null;
}
