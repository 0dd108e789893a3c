using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Saliency.Grains.Hosting;
using Saliency.Grains.Telemetry;

namespace Saliency.Grains.Workers;

/// <summary>
/// The silo's bounded compute scheduler: a fixed number of dedicated threads that run attribution
/// work. Orleans' own threads only queue work here, so a long computation never blocks a grain
/// call; and each unit of tensor work runs start to end on one thread, as TorchSharp's dispose
/// scopes require.
/// </summary>
internal sealed class ComputeQueue : IDisposable
{
    readonly Channel<Action> work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleWriter = false });
    readonly Thread[] threads;
    readonly ILogger<ComputeQueue> logger;
    int queued;
    int stopping;

    public ComputeQueue(IOptions<SaliencySiloOptions> options, ILogger<ComputeQueue> logger)
    {
        this.logger = logger;
        if (options.Value.TorchThreads is { } torchThreads) TorchSharp.torch.set_num_threads(torchThreads);
        threads = Enumerable.Range(0, Math.Max(1, options.Value.WorkerSlots))
            .Select(i => new Thread(Run) { IsBackground = true, Name = $"saliency-compute-{i}" }).ToArray();
        foreach (var thread in threads) thread.Start();
        queueGauge = SweepTelemetry.TrackQueue(this, () => Queued);
    }

    readonly IDisposable queueGauge;

    public int Slots => threads.Length;

    /// <summary>Work waiting for a thread, not counting what runs now.</summary>
    public int Queued => Volatile.Read(ref queued);

    public void Enqueue(Action unit)
    {
        Interlocked.Increment(ref queued);
        if (!work.Writer.TryWrite(unit))
        {
            Interlocked.Decrement(ref queued);
            throw new InvalidOperationException("the silo is shutting down and accepts no more work");
        }
    }

    bool Stopping => Volatile.Read(ref stopping) == 1;

    void Run()
    {
        var reader = work.Reader;
        while (!Stopping && reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (!Stopping && reader.TryRead(out var unit))
            {
                Interlocked.Decrement(ref queued);
                try { unit(); }
                catch (Exception error) { logger.LogError(error, "compute work failed outside its own error handling"); }
            }
        }
    }

    /// <summary>
    /// Takes no more work and returns once the units running now have finished, so that what they use (the
    /// models) can be disposed after this. Queued units are dropped: the coordinator dispatches them again
    /// once this silo has left the cluster.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref stopping, 1) == 1) return;
        queueGauge.Dispose();
        work.Writer.TryComplete();
        foreach (var thread in threads) thread.Join();
    }
}
