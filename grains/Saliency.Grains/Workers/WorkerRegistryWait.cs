using System.Globalization;
using Saliency.Grains.Contracts;
namespace Saliency.Grains.Workers;

/// <summary>Waiting on the worker registry, for whoever starts worker silos and needs them all before a sweep.</summary>
public static class WorkerRegistryWait
{
    /// <summary>
    /// Returns once the registry lists exactly <paramref name="count"/> live workers: as many as were started,
    /// or as few as are left after some were stopped. Calls that fail while silos come and go are retried.
    /// </summary>
    public static async Task ForLiveWorkers(IGrainFactory grains, int count, TimeSpan limit, CancellationToken cancellation = default)
    {
        var deadline = DateTime.UtcNow + limit;
        int? live = null;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                live = (await grains.GetGrain<IWorkerRegistryGrain>(0).LiveWorkers().WaitAsync(cancellation)).Count;
                if (live == count) return;
            }
            catch (Exception error) when (!cancellation.IsCancellationRequested) { lastError = error; }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the worker registry listed {live?.ToString(CultureInfo.InvariantCulture) ?? "no"} live workers, not {count}, after {limit.TotalSeconds:F0} s"
                    + (lastError is null ? "" : $"; last error: {lastError.Message}"));
            await Task.Delay(100, cancellation);
        }
    }
}
