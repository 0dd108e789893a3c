using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Workers;

namespace Saliency.Grains.Tests;

/// <summary>A worker's cache of sweeps and models: bounded as sweep follows sweep, and never letting go of what a work item holds.</summary>
[Trait("Lane", "Unit")]
public sealed class WorkerSweepCacheTests : IDisposable
{
    readonly WorkerSweepCache resources;

    public WorkerSweepCacheTests()
    {
        var options = Options.Create(new SaliencySiloOptions { TorchThreads = 1, WorkerSlots = 1 });
        resources = new WorkerSweepCache(options, new ComputeQueue(options, NullLogger<ComputeQueue>.Instance));
    }

    // The same weights under two declarations are two models to the cache, as two files would be.
    const string Plain = "fashion-cnn", Declared = "{ path: fashion-cnn, input: [1, 28, 28] }";

    static SweepJob Job(string id, string model) =>
        new(id, $"name: {id}\nmodel: {model}\ndata: fashion-mnist:test:0-3\nmethods: {{gradient: {{}}}}\nshard: 4\n", $"{id}.yaml");

    static WorkItem Item => new(0, 0, 0, 4, 1);

    [Fact]
    public void A_model_no_kept_sweep_uses_is_let_go_when_later_sweeps_push_its_sweep_out()
    {
        using (resources.Acquire(Job("first", Plain))) { }
        Assert.Equal(1, resources.ModelsLoaded);

        for (var i = 0; i < WorkerSweepCache.SweepsKept; i++)
            using (var lease = resources.Acquire(Job($"later{i}", Declared)))
                Assert.Equal(4, lease.Sweep.Run(Item).Images.Count);

        Assert.Equal(1, resources.ModelsLoaded);
    }

    [Fact]
    public void A_sweep_pushed_out_while_a_work_item_holds_it_keeps_computing_and_lets_go_when_the_item_ends()
    {
        var held = resources.Acquire(Job("first", Plain));
        for (var i = 0; i < WorkerSweepCache.SweepsKept; i++)
            using (resources.Acquire(Job($"later{i}", Declared))) { }

        Assert.Equal(2, resources.ModelsLoaded);
        Assert.Equal(4, held.Sweep.Run(Item).Images.Count);
        held.Dispose();
        Assert.Equal(1, resources.ModelsLoaded);
    }

    [Fact]
    public void Sweeps_that_share_a_model_load_it_once()
    {
        for (var i = 0; i < WorkerSweepCache.SweepsKept + 2; i++)
            using (resources.Acquire(Job($"sweep{i}", Plain))) { }

        Assert.Equal(1, resources.ModelsLoaded);
    }

    public void Dispose() => resources.Dispose();
}
