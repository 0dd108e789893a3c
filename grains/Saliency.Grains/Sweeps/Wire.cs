using System.Text.Json;
using Saliency.Attribution.Sweeps;
using EngineItem = Saliency.Attribution.Sweeps.Engine.WorkItem;
using WireItem = Saliency.Grains.Contracts.WorkItem;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// Between the wire and the sweep engine: the contracts' work item is the engine's, field for field, kept apart so the
/// client-facing contracts need not reference the attribution library, and the engine no Orleans.
/// </summary>
static class Wire
{
    public static EngineItem ToEngine(this WireItem item) => new(item.Trial, item.Shard, item.Start, item.Count, item.Attempt, item.Part);

    public static WireItem ToWire(this EngineItem item) => new(item.Trial, item.Shard, item.Start, item.Count, item.Attempt, item.Part);

    /// <summary>The outcome a worker reported.</summary>
    /// <exception cref="InvalidDataException">The report holds no outcome.</exception>
    public static ShardOutcome Outcome(Contracts.WorkReport report) => JsonSerializer.Deserialize<ShardOutcome>(report.Outcome)
        ?? throw new InvalidDataException($"empty outcome for trial {report.Item.Trial} shard {report.Item.Shard}");
}
