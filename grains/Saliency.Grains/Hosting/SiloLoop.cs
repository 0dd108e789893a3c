namespace Saliency.Grains.Hosting;

/// <summary>
/// Work a silo does in the background while it takes part in the cluster: started once the silo is active (grain calls
/// are answered), cancelled when it stops, and awaited then, so the silo leaves only after the loop has.
/// </summary>
internal abstract class SiloLoop : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    readonly CancellationTokenSource stopping = new();
    Task? loop;

    public void Dispose()
    {
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active,
        _ => { loop = Task.Run(() => Run(stopping.Token), CancellationToken.None); return Task.CompletedTask; },
        async _ => { stopping.Cancel(); if (loop is not null) await loop; });

    /// <summary>The loop; it returns once <paramref name="stopping"/> is cancelled.</summary>
    protected abstract Task Run(CancellationToken stopping);

    /// <summary>Waits <paramref name="period"/>; false, at once, when the silo stops.</summary>
    protected static async Task<bool> Pause(TimeSpan period, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(period, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
