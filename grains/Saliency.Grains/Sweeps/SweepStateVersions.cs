using System.Text.Json;
using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// What a state stored by an earlier version holds in a form this one no longer writes, read into today's: failures kept
/// in the state before the failure log, and rung decisions kept as JSON before they were typed. A restore applies these,
/// and the next checkpoint stores the state in its new form.
/// </summary>
static class SweepStateVersions
{
    /// <summary>Every rung decision of the state, in the order made: those an earlier version kept as JSON, then the typed ones.</summary>
    /// <exception cref="InvalidDataException">A decision kept as JSON cannot be read: the sweep cannot resume with its schedule as decided.</exception>
    public static IReadOnlyList<RungDecision> Decisions(SweepState state)
    {
        var decisions = new List<RungDecision>(state.EarlierDecisions.Count + state.Decisions.Count);
        for (var i = 0; i < state.EarlierDecisions.Count; i++)
        {
            RungDecision? decision;
            try { decision = JsonSerializer.Deserialize<RungDecision>(state.EarlierDecisions[i]); }
            catch (JsonException e) { throw Unreadable(state, i, e.Message); }
            decisions.Add(decision ?? throw Unreadable(state, i, "it is empty"));
        }
        decisions.AddRange(state.Decisions);
        return decisions;
    }

    /// <summary>The failures an earlier version kept in the state that the failure log lacks, each once.</summary>
    public static IReadOnlyList<FailedWorkItem> Unlogged(SweepState state, IEnumerable<FailedWorkItem> logged)
    {
        var known = logged.Select(f => (f.Trial, f.Shard, f.Part)).ToHashSet();
        return state.EarlierFailures.Where(f => known.Add((f.Trial, f.Shard, f.Part))).Select(f => f.ToEngine()).ToList();
    }

    static InvalidDataException Unreadable(SweepState state, int index, string reason) => new(
        $"sweep {state.SweepId}: rung decision {index + 1} of {state.EarlierDecisions.Count}, stored by an earlier version, cannot be read ({reason}); " +
        "the sweep cannot resume with its halving schedule as decided: submit its spec again to run it anew");
}
