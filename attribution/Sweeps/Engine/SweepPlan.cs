using Saliency.Attribution.Sanity;

namespace Saliency.Attribution.Sweeps.Engine;

/// <summary>
/// A sweep cut into work items: every trial over every shard of the selection, and, where the spec asks for the
/// model-randomisation check, every step of its cascade as an item of its own. The cascade has as many steps as the
/// model has parameter groups, at most <see cref="ModelRandomisation.MaximumSteps"/>; the plan holds that many parts,
/// whatever the model, and a part past a model's last step is done as soon as a worker sees it, so the plan is known
/// without loading the model. Item <c>i</c> is part <c>i / (trials × shards)</c>, trial <c>i / shards</c> of what is
/// left, shard <c>i % shards</c>, so an item is a number and sets of items are cheap.
/// </summary>
public sealed record SweepPlan(SweepSpec Spec, int ImageCount)
{
    public int ShardSize => Spec.ShardSize;
    public int ShardCount => Spec.ShardCount(ImageCount);
    public int TrialCount => Spec.Trials.Count;
    /// <summary>1, or 1 + the cascade's most steps where the spec asks for model randomisation.</summary>
    public int PartCount => Spec.Sanity.Contains(SanityChecks.ModelRandomisationName) ? 1 + ModelRandomisation.MaximumSteps : 1;
    public int WorkItemCount => TrialCount * ShardCount * PartCount;

    /// <exception cref="ArgumentOutOfRangeException">The sweep has no such trial, shard or part.</exception>
    public long KeyOf(int trial, int shard, int part = 0) =>
        trial >= 0 && trial < TrialCount && shard >= 0 && shard < ShardCount && part >= 0 && part < PartCount
            ? ((long)part * TrialCount + trial) * ShardCount + shard
            : throw new ArgumentOutOfRangeException(nameof(trial),
                $"trial {trial} shard {shard} part {part} is not in sweep '{Spec.Name}' ({TrialCount} trials × {ShardCount} shards × {PartCount} parts)");

    public long KeyOf(WorkItem item) => KeyOf(item.Trial, item.Shard, item.Part);

    public int PartOf(long key) => (int)(key / ((long)TrialCount * ShardCount));
    public int TrialOf(long key) => (int)(key / ShardCount % TrialCount);
    public int ShardOf(long key) => (int)(key % ShardCount);

    /// <summary>
    /// The item dispatched <paramref name="position"/>-th: shards in order, every trial and part of a shard together, the
    /// trials' own parts first. A worker then decodes a shard once for what it gets of it, and every trial's figures
    /// grow side by side.
    /// </summary>
    public long KeyAt(long position)
    {
        var perShard = (long)TrialCount * PartCount;
        var (shard, within) = (position / perShard, position % perShard);
        return KeyOf((int)(within % TrialCount), (int)shard, (int)(within / TrialCount));
    }

    /// <summary>The work item of a whole shard, as first sent.</summary>
    public WorkItem Item(long key)
    {
        var shard = ShardOf(key);
        var start = shard * ShardSize;
        return new WorkItem(TrialOf(key), shard, start, Math.Min(ShardSize, ImageCount - start), Attempt: 1, Part: PartOf(key));
    }
}
