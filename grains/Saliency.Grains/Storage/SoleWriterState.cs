using Orleans.Storage;

namespace Saliency.Grains.Storage;

/// <summary>
/// Writes for grain state that only its own activation ever writes (a sweep, the sweep directory).
/// When the store restarts between applying a write and answering it, the write landed but the
/// activation kept the old ETag, and every later write would fail as a conflict. With a sole writer
/// that conflict can only be its own lost reply, so the stored ETag is taken and the write repeated.
/// </summary>
internal static class SoleWriterState
{
    public static async Task WriteAsSoleWriterAsync<T>(this IPersistentState<T> state)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            var current = state.State;
            await state.ReadStateAsync();
            state.State = current;
            await state.WriteStateAsync();
        }
    }
}
