using System.Collections;

namespace Saliency.Attribution.Sweeps.Engine;

/// <summary>
/// A set of a sweep's work items (numbers below the plan's count) as one bit each: a coordinator's memory
/// for what is done stays at an eighth of a byte per item, 2 MB for 16 million items.
/// </summary>
internal sealed class WorkItemSet(int capacity)
{
    readonly BitArray bits = new(capacity);

    public int Count { get; private set; }

    public bool Contains(long item) => bits[(int)item];

    /// <returns>False when the item was already in the set.</returns>
    public bool Add(long item)
    {
        if (bits[(int)item]) return false;
        bits[(int)item] = true;
        Count++;
        return true;
    }
}
