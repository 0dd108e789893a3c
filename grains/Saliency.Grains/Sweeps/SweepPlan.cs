using Saliency.Attribution.Sweeps;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// A sweep cut into work items: every trial over every shard of the selection. Item <c>i</c> is
/// trial <c>i / shards</c> on shard <c>i % shards</c>, so an item is a number and sets of items are cheap.
/// </summary>
public sealed record SweepPlan(SweepSpec Spec, int ImageCount)
{
    public int ShardSize => Spec.Shard;
    public int ShardCount => Spec.ShardCount(ImageCount);
    public int TrialCount => Spec.Trials.Count;
    public int WorkItemCount => TrialCount * ShardCount;

    /// <exception cref="ArgumentOutOfRangeException">The sweep has no such trial or shard.</exception>
    public long KeyOf(int trial, int shard) =>
        trial >= 0 && trial < TrialCount && shard >= 0 && shard < ShardCount
            ? (long)trial * ShardCount + shard
            : throw new ArgumentOutOfRangeException(nameof(trial), $"trial {trial} shard {shard} is not in sweep '{Spec.Name}' ({TrialCount} trials × {ShardCount} shards)");

    /// <summary>
    /// The item dispatched <paramref name="position"/>-th: shards in order, every trial of a shard together. A worker
    /// then decodes a shard once for the trials it gets of it, and every trial's figures grow side by side.
    /// </summary>
    public long KeyAt(long position) => position % TrialCount * ShardCount + position / TrialCount;

    /// <summary>The work item of a whole shard, as first sent.</summary>
    public WorkItem Item(long key)
    {
        var trial = (int)(key / ShardCount);
        var shard = (int)(key % ShardCount);
        var start = shard * ShardSize;
        return new WorkItem(trial, shard, start, Math.Min(ShardSize, ImageCount - start), Attempt: 1);
    }
}
