using Saliency.Attribution.Results;

namespace Saliency.Attribution.Sweeps.Engine;

/// <summary>What the ledger made of an outcome.</summary>
public enum LedgerEntry
{
    /// <summary>Its images were counted already (a retry, or a report that arrived late): drop it.</summary>
    Duplicate,
    /// <summary>Counted; the shard still has images after it (its item stopped at its time budget).</summary>
    Part,
    /// <summary>Counted, and the shard is complete.</summary>
    Complete,
}

/// <summary>
/// What a sweep has done: the work items complete and failed, how far into its shard each unfinished item has come, and
/// the running figures of every trial. Each image counts once: a shard's outcomes are accepted only where they start at
/// the first image not yet counted, so a retry that overlaps what landed is a duplicate. Rebuilt from the result log by
/// giving it the logged outcomes again, in order.
/// </summary>
public sealed class SweepLedger
{
    readonly WorkItemSet done, failed, stopped;
    /// <summary>Positions counted from each unfinished shard's start, for shards whose items stopped part way.</summary>
    readonly Dictionary<long, int> covered = new();
    readonly TrialAggregate[] aggregates;
    readonly int[] shardsDone, shardsFailed;

    public SweepLedger(SweepPlan plan, IEnumerable<FailedWorkItem> failures)
    {
        Plan = plan;
        done = new WorkItemSet(plan.WorkItemCount);
        failed = new WorkItemSet(plan.WorkItemCount);
        stopped = new WorkItemSet(plan.WorkItemCount);
        aggregates = plan.Spec.Trials.Select(t => new TrialAggregate(t)).ToArray();
        shardsDone = new int[plan.TrialCount];
        shardsFailed = new int[plan.TrialCount];
        foreach (var failure in failures) Fail(failure.Trial, failure.Shard, failure.Part, failure.Reason);
    }

    public SweepPlan Plan { get; }
    public int Done => done.Count;
    public int Failed => failed.Count;
    /// <summary>Work items never to be done: their trial stopped before their shard (a halving schedule).</summary>
    public int Stopped => stopped.Count;
    public bool AllSettled => done.Count + failed.Count + stopped.Count >= Plan.WorkItemCount;
    public IReadOnlyList<TrialAggregate> Aggregates => aggregates;

    public bool IsDone(long key) => done.Contains(key);
    public bool IsFailed(long key) => failed.Contains(key);
    public bool IsStopped(long key) => stopped.Contains(key);
    public bool IsSettled(long key) => done.Contains(key) || failed.Contains(key) || stopped.Contains(key);
    public int ShardsDone(int trial) => shardsDone[trial];
    public int ShardsFailed(int trial) => shardsFailed[trial];

    /// <summary>Whether <paramref name="outcome"/> would be counted, without counting it: the coordinator logs only what counts.</summary>
    public bool Counts(ShardOutcome outcome)
    {
        var key = Plan.KeyOf(outcome.Trial, outcome.Shard, outcome.PartIndex);
        return !done.Contains(key) && !stopped.Contains(key) && Range(outcome).Start == Next(key);
    }

    /// <summary>
    /// Checks an outcome whole before anything of it is written: it names a work item of this sweep, and its range of
    /// images lies within that item's shard. A log line that failed this would make every later restore throw.
    /// </summary>
    /// <exception cref="InvalidDataException">It does not.</exception>
    public void Require(ShardOutcome outcome)
    {
        if (outcome.Trial < 0 || outcome.Trial >= Plan.TrialCount || outcome.Shard < 0 || outcome.Shard >= Plan.ShardCount || outcome.PartIndex < 0 || outcome.PartIndex >= Plan.PartCount)
            throw new InvalidDataException($"an outcome of trial {outcome.Trial} shard {outcome.Shard} part {outcome.PartIndex} names no work item of this sweep");
        var whole = Plan.Item(Plan.KeyOf(outcome.Trial, outcome.Shard, outcome.PartIndex));
        var (start, end) = Range(outcome);
        if (start < whole.Start || end <= start || end > whole.Start + whole.Count || outcome.Images.Count > end - start)
            throw new InvalidDataException($"the outcome of trial {outcome.Trial} shard {outcome.Shard} covers positions {start} to {end} with {outcome.Images.Count} images, " +
                $"outside the shard's {whole.Start} to {whole.Start + whole.Count}");
    }

    /// <summary>Settles every work item of <paramref name="trial"/> from <paramref name="fromShard"/> on, of every part, that is not settled yet.</summary>
    public void Stop(int trial, int fromShard)
    {
        for (var part = 0; part < Plan.PartCount; part++)
            for (var shard = fromShard; shard < Plan.ShardCount; shard++)
            {
                var key = Plan.KeyOf(trial, shard, part);
                if (!done.Contains(key) && !failed.Contains(key) && stopped.Add(key)) covered.Remove(key);
            }
    }

    /// <summary>Counts <paramref name="outcome"/>, which arrived (or was logged) at <paramref name="arrived"/>.</summary>
    public LedgerEntry Add(ShardOutcome outcome, DateTimeOffset? arrived = null)
    {
        if (!Counts(outcome)) return LedgerEntry.Duplicate;
        var key = Plan.KeyOf(outcome.Trial, outcome.Shard, outcome.PartIndex);
        var whole = Plan.Item(key);
        var end = Range(outcome).End;
        if (end > whole.Start + whole.Count)
            throw new InvalidDataException($"the outcome of trial {outcome.Trial} shard {outcome.Shard} covers positions up to {end}, past the shard's end at {whole.Start + whole.Count}");
        aggregates[outcome.Trial].Add(outcome, arrived);
        if (end < whole.Start + whole.Count)
        {
            covered[key] = end - whole.Start;
            return LedgerEntry.Part;
        }
        covered.Remove(key);
        if (!failed.Contains(key) && done.Add(key) && outcome.PartIndex == 0) shardsDone[outcome.Trial]++;
        return LedgerEntry.Complete;
    }

    /// <returns>False when the item had failed already.</returns>
    public bool Fail(int trial, int shard, int part, string reason)
    {
        var key = Plan.KeyOf(trial, shard, part);
        if (done.Contains(key) || stopped.Contains(key) || !failed.Add(key)) return false;
        if (part == 0) shardsFailed[trial]++;
        aggregates[trial].Fail(part == 0 ? $"shard {shard}: {reason}" : $"shard {shard}, model-randomisation step {part}: {reason}");
        return true;
    }

    /// <summary>The work item, at its first attempt, for what is left of the shard: all of it, or the images after those counted.</summary>
    public WorkItem Rest(long key)
    {
        var whole = Plan.Item(key);
        var counted = covered.GetValueOrDefault(key);
        return whole with { Start = whole.Start + counted, Count = whole.Count - counted };
    }

    int Next(long key) => Plan.Item(key).Start + covered.GetValueOrDefault(key);

    (int Start, int End) Range(ShardOutcome outcome)
    {
        if (outcome.Start is { } start && outcome.Count is { } count) return (start, start + count);
        var whole = Plan.Item(Plan.KeyOf(outcome.Trial, outcome.Shard, outcome.PartIndex));
        return (whole.Start, whole.Start + whole.Count);
    }
}
