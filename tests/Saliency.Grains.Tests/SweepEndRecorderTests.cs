using Microsoft.Extensions.Logging.Abstractions;
using Saliency.Grains.Contracts;
using Saliency.Grains.Sweeps;

namespace Saliency.Grains.Tests;

/// <summary>Recording the status a sweep ended with, when the store answers and when it is away.</summary>
[Trait("Lane", "Unit")]
public sealed class SweepEndRecorderTests : IDisposable
{
    int attempts, timersStarted, failuresLeft;
    Func<Task>? tick;
    readonly Timer timer = new();

    public void Dispose() => timer.Dispose();

    SweepEndRecorder Recorder() => new("s1", () =>
    {
        attempts++;
        return failuresLeft-- > 0 ? Task.FromException(new IOException("store away")) : Task.CompletedTask;
    }, retry => { timersStarted++; tick = retry; timer.Disposed = false; return timer; }, NullLogger.Instance);

    [Fact]
    public async Task A_status_the_store_takes_is_recorded_once_with_no_timer()
    {
        var recorder = Recorder();

        await recorder.Record(SweepStatus.Completed);

        Assert.Equal((1, 0, false), (attempts, timersStarted, recorder.Retrying));
    }

    [Fact]
    public async Task A_failed_recording_does_not_throw_and_is_tried_again_on_one_timer_until_it_lands()
    {
        failuresLeft = 3;
        var recorder = Recorder();

        await recorder.Record(SweepStatus.Stopped);
        Assert.True(recorder.Retrying);
        await tick!();
        await tick();
        Assert.Equal((3, 1, false), (attempts, timersStarted, timer.Disposed));
        await tick();

        Assert.Equal((4, 1, true, false), (attempts, timersStarted, timer.Disposed, recorder.Retrying));
    }

    [Fact]
    public async Task The_first_attempt_is_under_way_only_while_it_runs_and_not_during_retries()
    {
        var gate = new TaskCompletionSource();
        var recorder = new SweepEndRecorder("s1", () => gate.Task, _ => timer, NullLogger.Instance);

        var recording = recorder.Record(SweepStatus.Cancelled);
        Assert.True(recorder.Recording);
        gate.SetResult();
        await recording;

        Assert.False(recorder.Recording);
    }

    sealed class Timer : IDisposable
    {
        public bool Disposed;

        public void Dispose() => Disposed = true;
    }
}
