namespace Saliency.Grains.Contracts;

/// <summary>
/// One unit of work: trial <see cref="Trial"/> on shard <see cref="Shard"/> (images
/// [<see cref="Start"/>, <see cref="Start"/> + <see cref="Count"/>) of the sweep's selection).
/// <see cref="Part"/> 0 is the trial's attribution and metrics; part k ≥ 1, in a sweep that asks for the
/// model-randomisation check, the same maps again on the model with the first k steps of the cascade re-drawn.
/// Results are keyed by (trial, shard, part), so a work item sent twice is kept once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WorkItem(
    [property: Id(0)] int Trial,
    [property: Id(1)] int Shard,
    [property: Id(2)] int Start,
    [property: Id(3)] int Count,
    [property: Id(4)] int Attempt,
    [property: Id(5)] int Part = 0);

/// <summary>What a worker needs to run a sweep's work items: the sweep and its spec.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepJob([property: Id(0)] string SweepId, [property: Id(1)] string SpecText, [property: Id(2)] string SpecFile);

/// <summary>A worker silo as it announces itself: where it is and how much it computes at once.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerInfo(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Name,
    [property: Id(2)] int Slots,
    [property: Id(3)] string Device);

/// <summary>A finished work item and what it measured.</summary>
/// <remarks>Id 2 is retired: it held the outcome as JSON bytes, and a silo of that version sends no <see cref="Outcome"/>.</remarks>
[GenerateSerializer, Immutable]
public sealed record WorkReport(
    [property: Id(0)] WorkItem Item,
    [property: Id(1)] string Worker,
    [property: Id(3)] WorkOutcome Outcome);

/// <summary>A work item still computing: <see cref="ImagesDone"/> of its images' worth of work is done (a fraction of each counts).</summary>
[GenerateSerializer, Immutable]
public sealed record WorkProgress(
    [property: Id(0)] WorkItem Item,
    [property: Id(1)] string Worker,
    [property: Id(2)] double ImagesDone);

/// <summary>A work item that failed on a worker, with the reason.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkFailure(
    [property: Id(0)] WorkItem Item,
    [property: Id(1)] string Worker,
    [property: Id(2)] string Reason,
    [property: Id(3)] bool Retryable);
