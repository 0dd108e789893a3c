using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;

namespace Saliency.Cli.Benchmarks;

/// <summary>
/// A halving schedule played again over the per-image results of a full grid, with the images in another order: the
/// sweep engine decides, one work item in flight at a time, so each trial is judged the moment its rung is complete, as
/// on a worker with one slot. What it would have stopped, and what it would have computed, comes out without computing
/// anything again, and without a cluster or a run directory.
/// </summary>
public static class HalvingReplay
{
    const string Worker = "replay";

    public sealed record Outcome(IReadOnlySet<int> Stopped, long Results);

    /// <param name="spec">The sweep, with its halving schedule.</param>
    /// <param name="images">Every trial's outcome on every image, by (trial, image key).</param>
    /// <param name="order">The image keys in the order the replay cuts into shards.</param>
    public static Outcome Run(SweepSpec spec, IReadOnlyDictionary<(int Trial, int Key), ImageOutcome> images, IReadOnlyList<int> order)
    {
        // Nothing fails and nothing times out in a replay: one attempt, and no clock to outlive.
        var engine = new SweepEngine(new SweepPlan(spec, order.Count), maxAttempts: 1, timeout: TimeSpan.MaxValue);
        long results = 0;
        for (var items = engine.Next(Worker, 1, 1, DateTime.UnixEpoch); items.Count > 0; items = engine.Next(Worker, 1, 1, DateTime.UnixEpoch))
        {
            var item = items[0];
            var outcome = new ShardOutcome(item.Trial, item.Shard,
                order.Skip(item.Start).Take(item.Count).Select(key => images[(item.Trial, key)]).ToArray(), [], 0);
            if (engine.OnResult(item, outcome) == ResultDecision.Record) engine.Recorded(outcome);
            results += item.Count;
        }
        var stopped = Enumerable.Range(0, engine.Plan.TrialCount).Where(t => engine.StopOf(t) is not null).ToHashSet();
        return new Outcome(stopped, results);
    }
}
