namespace Saliency.Attribution.Sweeps.Engine;

/// <summary>
/// One unit of a sweep's work: trial <see cref="Trial"/> on shard <see cref="Shard"/> (images [<see cref="Start"/>,
/// <see cref="Start"/> + <see cref="Count"/>) of the selection). <see cref="Part"/> 0 is the trial's attribution and
/// metrics; part k ≥ 1, in a sweep that asks for the model-randomisation check, the same maps on the model with the first
/// k steps of the cascade re-drawn. Results are keyed by (trial, shard, part), so an item sent twice is kept once.
/// </summary>
public sealed record WorkItem(int Trial, int Shard, int Start, int Count, int Attempt, int Part = 0);

/// <summary>A work item that failed for good, after <paramref name="Attempts"/> attempts, with the reason.</summary>
public sealed record FailedWorkItem(int Trial, int Shard, int Attempts, string Reason, int Part = 0);
