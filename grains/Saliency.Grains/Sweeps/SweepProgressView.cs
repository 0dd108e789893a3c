using Saliency.Attribution.Results;
using Saliency.Grains.Contracts;

namespace Saliency.Grains.Sweeps;

/// <summary>What a sweep's progress says, built from its state and, once prepared, its session; it changes neither.</summary>
public static class SweepProgressView
{
    /// <param name="session">The session of a sweep that has been prepared; null before.</param>
    /// <param name="recordingEnd">True while the status a session ended with is being stored: it shows as running until then.</param>
    public static SweepProgress Of(string sweepId, SweepState state, double elapsed, SweepSession? session, bool recordingEnd)
    {
        TrialProgress[] trials = [];
        if (session is { Plan: var plan, Ledger: var ledger, Window: var window, Rungs: var rungs })
        {
            var inFlight = window.ImagesInFlight();
            trials = ledger.Aggregates.Select(a =>
            {
                var i = a.Trial.Index;
                var summary = a.Summary();
                var rung = rungs.StopOf(i)?.Rung ?? rungs.RungOf(i);
                return new TrialProgress(i, a.Trial.Label, ledger.ShardsDone(i), plan.ShardCount, ledger.ShardsFailed(i), a.Images,
                    summary.Metric(MetricNames.DeletionAuc)?.Mean, summary.Metric(MetricNames.InsertionAuc)?.Mean,
                    summary.Metric(MetricNames.AbsDelta)?.Mean, a.ImagesPerSecond, TrialFailure(ledger, i), inFlight[i],
                    rung, rungs.Rungs.Count, rungs.Rungs[rung].Images, rungs.StopOf(i)?.Describe(session.LabelOf));
            }).ToArray();
        }
        var images = trials.Sum(t => t.Images + t.ImagesInFlight);
        var (status, message) = recordingEnd
            ? (SweepStatus.Running, $"ending as {state.Status.ToString().ToLowerInvariant()}: recording that status")
            : (state.Status, state.Message);
        return new SweepProgress(sweepId, state.Name, status, state.RunDirectory, session?.Plan.WorkItemCount ?? 0, session?.Ledger.Done ?? 0,
            session?.Ledger.Failed ?? 0, session?.Window.InFlight ?? 0, state.Retries, state.DuplicatesDropped, elapsed > 0 ? images / elapsed : 0,
            elapsed, message, trials, session is { Plan: var p } ? (long)p.TrialCount * p.ImageCount : 0, session?.Plan.Spec.Objective.Name,
            session?.Ledger.Stopped ?? 0, session?.Plan.Spec.Schedule.ToString());
    }

    /// <summary>A sweep listed in the directory and cancelled before it ever started.</summary>
    public static SweepProgress NeverStarted(SweepListing listing) => new(listing.SweepId, listing.Name, SweepStatus.Cancelled, "", 0, 0, 0, 0, 0, 0, 0, 0,
        "cancelled; it had never started, so it has no run directory", []);

    /// <summary>The trial's first failure as its ledger holds it, which knows every failure, not only those the state keeps.</summary>
    static string? TrialFailure(SweepLedger ledger, int trial) => ledger.Aggregates[trial].Failure is { } first
        ? $"{ledger.ShardsFailed(trial)} shard(s) failed; first: {first}" : null;
}
