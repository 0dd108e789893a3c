namespace Saliency.Attribution.Sweeps.Engine;

/// <summary>What the engine made of a worker's result.</summary>
public enum ResultDecision
{
    /// <summary>
    /// It counts: write it where results are kept, then tell the engine with <see cref="SweepEngine.Recorded"/>
    /// (or <see cref="SweepEngine.Unrecorded"/> if it could not be written).
    /// </summary>
    Record,
    /// <summary>Its images were counted already (a retry, or a report that arrived late): drop it.</summary>
    Duplicate,
    /// <summary>Its trial was stopped by the schedule while it was in flight: drop it; it is no duplicate either.</summary>
    Stopped,
}

/// <summary>What the engine made of a failure, reported or found by a tick.</summary>
public enum FailureVerdict
{
    /// <summary>A report of an attempt no longer in flight, or of an item already settled: nothing to do.</summary>
    Ignore,
    /// <summary>The item goes out again with its next attempt.</summary>
    Retry,
    /// <summary>The item failed for good: write it where failures are kept, then tell the engine with <see cref="SweepEngine.FailureRecorded"/>.</summary>
    GiveUp,
}

/// <param name="Failure">For <see cref="FailureVerdict.GiveUp"/>: what to record.</param>
public sealed record FailureDecision(FailureVerdict Verdict, FailedWorkItem? Failure = null)
{
    public static FailureDecision Ignored { get; } = new(FailureVerdict.Ignore);

    public static FailureDecision Retried { get; } = new(FailureVerdict.Retry);
}

/// <summary>An item a tick took out of flight: its worker left the cluster (<paramref name="Lost"/>), or it outlived the timeout.</summary>
public sealed record Expiry(WorkItem Item, string Worker, bool Lost, string Reason, FailureDecision Decision);
