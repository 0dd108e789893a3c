namespace Saliency.Attribution.Sweeps.Engine;

/// <summary>
/// The work items of one sweep between its plan and its workers: which are in flight, where and since when, how far
/// each has come, which wait to be sent again, and which worker an item outlived its timeout on, so that its retry goes
/// elsewhere. It makes no calls and keeps no time of its own: the coordinator asks it what to send, tells it what was
/// sent and what came back, and it says what to retry and when an item has used up its attempts. Items that the
/// schedule holds back (a trial's shards past the rung it has yet to be judged at) wait until it is judged.
/// </summary>
public sealed class DispatchWindow(SweepPlan plan, int maxAttempts, TimeSpan timeout, SweepRungs rungs)
{
    readonly Dictionary<long, Dispatched> inFlight = new();
    /// <summary>Images' worth of work done so far by items in flight, as their workers last said.</summary>
    readonly Dictionary<long, double> progress = new();
    readonly Queue<WorkItem> retries = new();
    readonly Dictionary<long, string> slowOn = new();
    readonly Dictionary<int, List<long>> held = new();
    long cursor;

    public sealed record Dispatched(WorkItem Item, string Worker, DateTime Sent);

    /// <summary>An item taken out of flight: its worker left the cluster, or it outlived the timeout.</summary>
    public sealed record Expired(WorkItem Item, string Worker, bool Lost, string Reason);

    public int InFlight => inFlight.Count;

    public int InFlightOn(string worker) => inFlight.Values.Count(d => d.Worker == worker);

    public bool IsInFlight(long key) => inFlight.ContainsKey(key);

    /// <summary>
    /// Up to <paramref name="count"/> items for <paramref name="worker"/>: retries first, each sent again from the first
    /// image the ledger has not counted, then items of the plan not sent yet. A retry of an item that outlived its timeout
    /// on this worker waits for another while there is one (<paramref name="workers"/> &gt; 1).
    /// </summary>
    public List<WorkItem> Next(int count, string worker, int workers, SweepLedger ledger)
    {
        var items = new List<WorkItem>();
        var elsewhere = new List<WorkItem>();
        while (items.Count < count && retries.TryDequeue(out var retry))
        {
            var key = plan.KeyOf(retry);
            if (!IsOpen(key, ledger) || TryHoldBack(key)) continue;
            if (workers > 1 && slowOn.TryGetValue(key, out var slow) && slow == worker) elsewhere.Add(retry);
            else items.Add(ledger.Rest(key) with { Attempt = retry.Attempt });
        }
        foreach (var retry in elsewhere) retries.Enqueue(retry);
        while (items.Count < count && cursor < plan.WorkItemCount)
        {
            var key = plan.KeyAt(cursor++);
            if (IsOpen(key, ledger) && !TryHoldBack(key)) items.Add(ledger.Rest(key));
        }
        return items;
    }

    /// <summary>The trial was judged at its rung: what it held back goes out next, or, if it stopped, is dropped when its turn comes.</summary>
    public void Judged(int trial)
    {
        if (!held.Remove(trial, out var keys)) return;
        foreach (var key in keys) retries.Enqueue(plan.Item(key));
    }

    /// <summary>
    /// Holds the item back (recorded, to go out when <see cref="Judged"/> is told) and returns true when the schedule says its
    /// trial has yet to be judged at the rung before it; otherwise records nothing and returns false.
    /// </summary>
    bool TryHoldBack(long key)
    {
        var trial = plan.TrialOf(key);
        if (!rungs.Holds(trial, plan.ShardOf(key))) return false;
        if (!held.TryGetValue(trial, out var keys)) held[trial] = keys = new List<long>();
        keys.Add(key);
        return true;
    }

    public void Sent(IEnumerable<WorkItem> items, string worker, DateTime now)
    {
        foreach (var item in items) inFlight[plan.KeyOf(item)] = new Dispatched(item, worker, now);
    }

    /// <summary>A worker that did not take its items: they go back to be sent as they were, to whichever worker comes next.</summary>
    public void NotAccepted(IEnumerable<WorkItem> items)
    {
        foreach (var item in items)
        {
            Remove(plan.KeyOf(item));
            retries.Enqueue(item);
        }
    }

    /// <summary>A worker's word on how far an item has come; only the worker it is in flight on is heard.</summary>
    public void Progressed(WorkItem item, string worker, double imagesDone)
    {
        var key = plan.KeyOf(item);
        if (inFlight.TryGetValue(key, out var dispatched) && dispatched.Worker == worker)
            progress[key] = Math.Clamp(imagesDone, 0, item.Count);
    }

    /// <summary>Images' worth of work items in flight have done, per trial (their own work only, not cascade steps).</summary>
    public double[] ImagesInFlight()
    {
        var images = new double[plan.TrialCount];
        foreach (var (key, done) in progress)
            if (plan.PartOf(key) == 0) images[plan.TrialOf(key)] += done;
        return images;
    }

    /// <summary>
    /// A result or failure reported for <paramref name="item"/>: true when that attempt was the one in flight, which
    /// leaves flight. A report of an earlier attempt leaves the one now in flight where it is.
    /// </summary>
    public bool Landed(WorkItem item)
    {
        var key = plan.KeyOf(item);
        if (!inFlight.TryGetValue(key, out var dispatched) || dispatched.Item != item) return false;
        Remove(key);
        return true;
    }

    /// <summary>After a report: a settled shard leaves flight whatever attempt is out; an unsettled one not in flight goes out again for its rest.</summary>
    public void Reconcile(long key, SweepLedger ledger)
    {
        if (ledger.IsSettled(key)) Remove(key);
        else if (!inFlight.ContainsKey(key)) retries.Enqueue(ledger.Rest(key));
    }

    /// <summary>Items whose worker is not among <paramref name="live"/>, or that were sent longer than the timeout ago; they leave flight.</summary>
    public IReadOnlyList<Expired> Expire(IReadOnlySet<string> live, DateTime now)
    {
        var expired = new List<Expired>();
        foreach (var (key, dispatched) in inFlight.ToArray())
        {
            var lost = !live.Contains(dispatched.Worker);
            if (!lost && now - dispatched.Sent <= timeout) continue;
            Remove(key);
            if (!lost) slowOn[key] = dispatched.Worker;
            expired.Add(new Expired(dispatched.Item, dispatched.Worker, lost,
                lost ? $"worker {dispatched.Worker} left the cluster" : $"no result within {timeout}"));
        }
        return expired;
    }

    /// <summary>Queues the next attempt of a failed item; false, queuing nothing, when it has had its attempts.</summary>
    public bool Retry(WorkItem item)
    {
        if (item.Attempt >= maxAttempts) return false;
        retries.Enqueue(item with { Attempt = item.Attempt + 1 });
        return true;
    }

    /// <summary>Nothing more goes out: a cancelled sweep.</summary>
    public void Clear()
    {
        inFlight.Clear();
        progress.Clear();
        retries.Clear();
        held.Clear();
    }

    bool IsOpen(long key, SweepLedger ledger) => !ledger.IsSettled(key) && !inFlight.ContainsKey(key);

    void Remove(long key)
    {
        inFlight.Remove(key);
        progress.Remove(key);
    }
}
