namespace Saliency.Grains.Sweeps;

/// <summary>
/// When a coordinator stores its sweep's state: at once after a change that must survive a crash (a decision, a failed
/// item, the end), otherwise at most every <see cref="Period"/> and only when something changed since. The result and
/// failure logs are flushed first either way, so a stored state never counts a result or a failure the logs lack; a write that fails leaves the
/// session marked as changed, for the next checkpoint to try again.
/// </summary>
internal sealed class SweepCheckpoints(Func<Task> write, Func<DateTime> clock)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    DateTime last = clock();

    public async Task Write(SweepSession? session)
    {
        session?.Sync();
        if (session is not null) session.Dirty = true;
        await write();
        if (session is not null) session.Dirty = false;
        last = clock();
    }

    public async Task WriteIfDue(SweepSession session)
    {
        if (clock() - last <= Period) return;
        if (session.Dirty) await Write(session);
        else
        {
            session.Sync();
            last = clock();
        }
    }
}
