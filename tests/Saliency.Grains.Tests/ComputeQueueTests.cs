using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Saliency.Grains.Hosting;
using Saliency.Grains.Workers;

namespace Saliency.Grains.Tests;

[Trait("Lane", "Unit")]
public sealed class ComputeQueueTests
{
    [Fact]
    public void Dispose_returns_only_after_the_running_unit_finished_and_drops_the_queued_ones()
    {
        var queue = new ComputeQueue(Options.Create(new SaliencySiloOptions { WorkerSlots = 1 }), NullLogger<ComputeQueue>.Instance);
        using var running = new ManualResetEventSlim();
        var (finished, queuedRan) = (false, false);
        queue.Enqueue(() =>
        {
            running.Set();
            Thread.Sleep(300);
            Volatile.Write(ref finished, true);
        });
        queue.Enqueue(() => Volatile.Write(ref queuedRan, true));
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)), "the first unit never started");

        queue.Dispose();

        Assert.True(Volatile.Read(ref finished), "Dispose returned while a unit was still running");
        Thread.Sleep(100);
        Assert.False(Volatile.Read(ref queuedRan), "a unit queued behind the running one ran after Dispose");
        Assert.Throws<InvalidOperationException>(() => queue.Enqueue(() => { }));
    }
}
