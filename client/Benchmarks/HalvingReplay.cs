using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Saliency.Attribution.Sweeps;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Sweeps;

namespace Saliency.Cli.Benchmarks;

/// <summary>
/// A halving schedule played again over the per-image results of a full grid, with the images in another order: the
/// coordinator's own session decides, one work item in flight at a time, so each trial is judged the moment its rung is
/// complete, as on a worker with one slot. What it would have stopped, and what it would have computed, comes out
/// without computing anything again.
/// </summary>
public static class HalvingReplay
{
    public sealed record Outcome(IReadOnlySet<int> Stopped, long Results);

    /// <param name="specText">The sweep, with its halving schedule.</param>
    /// <param name="images">Every trial's outcome on every image, by (trial, image key).</param>
    /// <param name="order">The image keys in the order the replay cuts into shards.</param>
    public static Outcome Run(string specText, IReadOnlyDictionary<(int Trial, int Key), ImageOutcome> images, IReadOnlyList<int> order)
    {
        var directory = Directory.CreateTempSubdirectory("saliency-halving-replay-").FullName;
        try
        {
            var state = new SweepState { SweepId = "replay", Name = "replay", SpecText = specText, SpecFile = "replay.yaml", RunDirectory = directory };
            var plan = new SweepPlan(SweepSpec.Parse(specText, "replay.yaml"), order.Count);
            using var session = SweepSession.Start(state, plan, new SaliencySiloOptions(), NullLogger.Instance);
            long results = 0;
            for (var items = session.Window.Next(1, "replay", 1, session.Ledger); items.Count > 0; items = session.Window.Next(1, "replay", 1, session.Ledger))
            {
                var item = items[0];
                session.Window.Sent(items, "replay", DateTime.UtcNow);
                var outcome = new ShardOutcome(item.Trial, item.Shard,
                    order.Skip(item.Start).Take(item.Count).Select(key => images[(item.Trial, key)]).ToArray(), [], 0);
                session.Land(new WorkReport(item, "replay", JsonSerializer.SerializeToUtf8Bytes(outcome)), out _);
                session.Judge();
                results += item.Count;
            }
            var stopped = Enumerable.Range(0, plan.TrialCount).Where(t => session.Rungs.StopOf(t) is not null).ToHashSet();
            return new Outcome(stopped, results);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
