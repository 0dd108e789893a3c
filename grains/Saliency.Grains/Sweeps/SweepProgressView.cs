using Saliency.Attribution.Metrics;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Grains.Contracts;

namespace Saliency.Grains.Sweeps;

/// <summary>What a sweep's progress says, built from its state and, once prepared, its session; it changes neither.</summary>
internal static class SweepProgressView
{
    /// <param name="session">The session of a sweep that has been prepared; null before.</param>
    /// <param name="recordingEnd">True while the status a session ended with is being stored: it shows as running until then.</param>
    public static SweepProgress Of(string sweepId, SweepState state, double elapsed, SweepSession? session, bool recordingEnd)
    {
        TrialProgress[] trials = [];
        if (session is { Plan: var plan, Engine: var engine })
        {
            var inFlight = engine.ImagesInFlight();
            trials = engine.Aggregates.Select(a =>
            {
                var i = a.Trial.Index;
                var summary = a.Summary();
                var rung = engine.StopOf(i)?.Rung ?? engine.RungOf(i);
                return new TrialProgress(i, a.Trial.Label, engine.ShardsDone(i), plan.ShardCount, engine.ShardsFailed(i), a.Images,
                    summary.Metric(DeletionMetric.AucColumn)?.Mean, summary.Metric(InsertionMetric.AucColumn)?.Mean,
                    summary.Metric(CompletenessMetric.AbsDeltaColumn)?.Mean, a.ImagesPerSecond, TrialFailure(engine, i), inFlight[i],
                    rung, engine.Rungs.Count, engine.Rungs[rung].Images, engine.StopOf(i)?.Describe(session.LabelOf),
                    summary.Metrics.ToDictionary(pair => pair.Key, pair => pair.Value.Mean));
            }).ToArray();
        }
        var images = trials.Sum(t => t.Images + t.ImagesInFlight);
        var (status, message) = recordingEnd
            ? (SweepStatus.Running, $"ending as {state.Status.ToString().ToLowerInvariant()}: recording that status")
            : (state.Status, state.Message);
        return new SweepProgress(sweepId, state.Name, status, state.RunDirectory, session?.Plan.WorkItemCount ?? 0, session?.Engine.Done ?? 0,
            session?.Engine.Failed ?? 0, session?.Engine.InFlight ?? 0, state.Retries, state.DuplicatesDropped, elapsed > 0 ? images / elapsed : 0,
            elapsed, message, trials, session is { Plan: var p } ? (long)p.TrialCount * p.ImageCount : 0, session?.Plan.Spec.Objective.Name,
            session?.Engine.Stopped ?? 0, session?.Plan.Spec.Schedule.ToString());
    }

    /// <summary>A sweep listed in the directory and cancelled before it ever started.</summary>
    public static SweepProgress NeverStarted(SweepListing listing) => new(listing.SweepId, listing.Name, SweepStatus.Cancelled, "", 0, 0, 0, 0, 0, 0, 0, 0,
        "cancelled; it had never started, so it has no run directory", []);

    /// <summary>The trial's first failure as the engine holds it, which knows every failure, not only those the state keeps.</summary>
    static string? TrialFailure(SweepEngine engine, int trial) => engine.Aggregates[trial].Failure is { } first
        ? $"{engine.ShardsFailed(trial)} shard(s) failed; first: {first}" : null;
}
