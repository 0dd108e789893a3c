using Microsoft.Extensions.Logging.Abstractions;
using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Sweeps;

namespace Saliency.Grains.Tests;

/// <summary>When the coordinator stores a sweep's state: at once when asked, on the tick only when due and changed, and again after a write that failed.</summary>
[Trait("Lane", "Unit")]
public sealed class SweepCheckpointsTests : IDisposable
{
    const string Spec = """
        name: checkpoints
        model: fashion-cnn
        data: fashion-mnist:test:0-15
        methods: { ig: { steps: 8 } }
        metrics: [deletion]
        shard: 8

        """;

    readonly string directory = Directory.CreateTempSubdirectory("sweep-checkpoints-").FullName;
    DateTime now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);
    int writes;
    bool storeAway;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    SweepSession Session() => SweepSession.Start(
        new SweepState { SweepId = "c", Name = "checkpoints", SpecText = Spec, SpecFile = "c.yaml", RunDirectory = directory, Status = SweepStatus.Running, ImageCount = 16 },
        new SweepPlan(SweepSpec.Parse(Spec, "c.yaml"), 16), new SaliencySiloOptions(), NullLogger.Instance);

    SweepCheckpoints Checkpoints() => new(() =>
    {
        writes++;
        return storeAway ? Task.FromException(new IOException("store away")) : Task.CompletedTask;
    }, () => now);

    [Fact]
    public async Task A_change_is_stored_on_the_first_tick_after_the_period_and_not_before()
    {
        using var session = Session();
        var checkpoints = Checkpoints();
        session.Dirty = true;

        now += SweepCheckpoints.Period;
        await checkpoints.WriteIfDue(session);
        Assert.Equal(0, writes);

        now += TimeSpan.FromSeconds(1);
        await checkpoints.WriteIfDue(session);
        Assert.Equal((1, false), (writes, session.Dirty));
    }

    [Fact]
    public async Task A_tick_with_nothing_changed_stores_nothing()
    {
        using var session = Session();
        var checkpoints = Checkpoints();

        now += SweepCheckpoints.Period * 3;
        await checkpoints.WriteIfDue(session);

        Assert.Equal(0, writes);
    }

    [Fact]
    public async Task A_write_that_fails_leaves_the_change_for_the_next_tick()
    {
        using var session = Session();
        var checkpoints = Checkpoints();
        storeAway = true;

        await Assert.ThrowsAsync<IOException>(() => checkpoints.Write(session));
        Assert.True(session.Dirty);

        storeAway = false;
        now += SweepCheckpoints.Period * 2;
        await checkpoints.WriteIfDue(session);
        Assert.Equal((2, false), (writes, session.Dirty));
    }
}
