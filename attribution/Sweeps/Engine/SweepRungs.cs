
namespace Saliency.Attribution.Sweeps.Engine;

/// <summary>
/// Where each trial stands in the sweep's schedule: the rung it is on, or the rung it stopped at and why. Under a grid
/// every trial is on its one rung from the start. Under halving, a trial's shards past its rung are held back until
/// it is judged there, and it is judged as soon as its rung is complete, against the trials that have completed the
/// rung by then, so no worker waits for the slowest trial. Decisions are kept in the sweep's state; the objective
/// values they rest on are rebuilt from the result log.
/// </summary>
public sealed class SweepRungs
{
    readonly SweepPlan plan;
    readonly IReadOnlyList<Rung> rungs;
    readonly int[] onRung;
    readonly RungDecision?[] stops;
    readonly Dictionary<int, (int Shard, double Value)>[] values;
    readonly List<RungDecision> decisions = new();
    /// <summary>Per deciding rung, the trials that have completed it.</summary>
    readonly HashSet<int>[] completed;

    public SweepRungs(SweepPlan plan, IEnumerable<RungDecision> decided)
    {
        this.plan = plan;
        rungs = plan.Spec.Schedule.Rungs(plan.ImageCount, plan.ShardSize);
        onRung = new int[plan.TrialCount];
        stops = new RungDecision?[plan.TrialCount];
        values = Enumerable.Range(0, plan.TrialCount).Select(_ => new Dictionary<int, (int, double)>()).ToArray();
        completed = rungs.Select(_ => new HashSet<int>()).ToArray();
        foreach (var decision in decided) Apply(decision);
    }

    public IReadOnlyList<Rung> Rungs => rungs;

    /// <summary>Every decision made, in order.</summary>
    public IReadOnlyList<RungDecision> Decisions => decisions;

    public double Confidence => plan.Spec.Schedule.Confidence(plan.TrialCount, rungs.Count - 1);

    /// <summary>The rung the trial is on: the one it is computing, stopped at, or completed as the last.</summary>
    public int RungOf(int trial) => onRung[trial];

    public RungDecision? StopOf(int trial) => stops[trial];

    /// <summary>Whether the trial's work on <paramref name="shard"/> waits for its judgment at the rung it is on.</summary>
    public bool Holds(int trial, int shard) => stops[trial] is null && shard >= rungs[onRung[trial]].Shards;

    /// <summary>Notes the objective values of an outcome the ledger counted.</summary>
    public void Add(ShardOutcome outcome)
    {
        if (outcome.PartIndex != 0 || !plan.Spec.Schedule.IsHalving) return;
        foreach (var image in outcome.Images)
            if (plan.Spec.Objective.Of(image) is { } value) values[outcome.Trial][image.Key] = (outcome.Shard, value);
    }

    /// <summary>
    /// Judges every trial whose rung the ledger has completed (its own work done or failed on every shard of the rung) and
    /// returns each decision once, in the order made. A trial is judged when it completes a rung, against the trials that
    /// have completed it by then. When a later trial completes the rung and is the better there, the trials that went
    /// on from that rung are compared with it too, on the same images, and stop if it beats them. A trial is compared with
    /// each other trial at most once per rung (the same images give the same answer), which the confidence allows for.
    /// </summary>
    public IReadOnlyList<RungDecision> JudgeComplete(SweepLedger ledger)
    {
        var made = new List<RungDecision>();
        for (var changed = true; changed;)
        {
            changed = false;
            for (var rung = 0; rung < rungs.Count - 1; rung++)
            {
                var newly = Enumerable.Range(0, plan.TrialCount)
                    .Where(t => !completed[rung].Contains(t) && (stops[t] is null || stops[t]!.Rung >= rung) && Completed(ledger, t, rungs[rung]))
                    .ToList();
                if (newly.Count == 0) continue;
                completed[rung].UnionWith(newly);
                var candidates = completed[rung].ToDictionary(t => t, t => (IReadOnlyDictionary<int, double>)values[t]
                    .Where(entry => entry.Value.Shard < rungs[rung].Shards)
                    .ToDictionary(entry => entry.Key, entry => entry.Value.Value));
                var best = RungDecision.BestOf(candidates, plan.Spec.Objective);
                foreach (var trial in completed[rung].Order().Where(t => stops[t] is null))
                {
                    // A trial that went on from here before is judged again only to be stopped: the images are the same.
                    var decision = RungDecision.Judge(trial, rungs[rung], plan.Spec.Objective, Confidence, candidates, best);
                    if (onRung[trial] != rung && !decision.Stopped) continue;
                    Apply(decision);
                    made.Add(decision);
                    changed = true;
                }
            }
        }
        return made;
    }

    /// <summary>Whether the trial's own work on every shard of the rung is settled by a result or a failure, not a stop.</summary>
    static bool Completed(SweepLedger ledger, int trial, Rung rung)
    {
        for (var shard = 0; shard < rung.Shards; shard++)
        {
            var key = ledger.Plan.KeyOf(trial, shard);
            if (!ledger.IsDone(key) && !ledger.IsFailed(key)) return false;
        }
        return true;
    }

    void Apply(RungDecision decision)
    {
        decisions.Add(decision);
        if (decision.Stopped) stops[decision.Trial] = decision;
        else onRung[decision.Trial] = Math.Max(onRung[decision.Trial], decision.Rung + 1);
    }
}
