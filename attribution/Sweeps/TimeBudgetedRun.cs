using System.Diagnostics;
using Saliency.Attribution.Data;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// Runs a work item's images under a time budget, so an item stays in seconds to a minute whatever the model costs: the
/// images go in consecutive chunks, and the item stops, reporting the positions it covered, when the budget left would not
/// pay for one more image at the cost measured so far. The first chunk is one image, which measures that cost; each
/// later chunk is as many images as the budget left pays for. At least one image is always done, so an item moves on.
/// </summary>
public static class TimeBudgetedRun
{
    /// <param name="keys">The keys of the item's positions in the selection, in order; <paramref name="read"/> holds the readable ones.</param>
    /// <param name="budget">Null: every image in one chunk, as an item without a budget.</param>
    /// <param name="progress">Called with the images' worth of work done so far, over the whole item.</param>
    /// <param name="part">The item's part (<see cref="TrialRunner.Run"/>).</param>
    public static ShardOutcome Run(TrialRunner runner, Trial trial, int shard, int start, IReadOnlyList<int> keys, ImageRead read,
        IReadOnlySet<int> keysWithMaps, TimeSpan? budget, Action<double>? progress = null, int part = 0)
    {
        if (budget is not { } limit)
            return runner.Run(trial, shard, read.Images, keysWithMaps, read.Skipped, progress, part) with { Start = start, Count = keys.Count };

        var clock = Stopwatch.StartNew();
        var parts = new List<ShardOutcome>();
        var (covered, computed, chunk) = (0, 0, 1);
        while (true)
        {
            var positions = keys.Skip(covered).Take(chunk).ToHashSet();
            var good = 0;
            while (computed + good < read.Images.Count && positions.Contains(read.Images.Keys[computed + good])) good++;
            var before = computed;
            var chunkOutcome = runner.Run(trial, shard, read.Images.Slice(computed, good), keysWithMaps,
                [.. read.Skipped.Where(s => positions.Contains(s.Key))],
                progress is null ? null : done => progress(before + done), part);
            parts.Add(chunkOutcome);
            covered += positions.Count;
            computed += good;
            if (covered == keys.Count) break;
            var left = limit - clock.Elapsed;
            if (left <= TimeSpan.Zero) break;
            chunk = computed == 0 ? 1 : (int)Math.Min(keys.Count - covered, Math.Floor(left / (clock.Elapsed / covered)));
            if (chunk < 1) break;
        }
        return ShardOutcome.Join(parts, start, covered);
    }
}
