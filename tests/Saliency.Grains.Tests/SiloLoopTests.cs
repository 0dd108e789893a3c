using Saliency.Grains.Hosting;

namespace Saliency.Grains.Tests;

[Trait("Lane", "Unit")]
public sealed class SiloLoopTests
{
    [Fact]
    public async Task A_loop_starts_when_the_silo_is_active_and_the_silo_stops_only_after_it_has()
    {
        var lifecycle = new RecordedLifecycle();
        var loop = new CountingLoop();
        loop.Participate(lifecycle);
        Assert.Equal(ServiceLifecycleStage.Active, lifecycle.Stage);
        Assert.Equal(0, loop.Rounds);

        await lifecycle.Observer!.OnStart(CancellationToken.None);
        await loop.SecondRound.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await lifecycle.Observer.OnStop(CancellationToken.None);

        Assert.True(loop.Finished);
    }

    [Fact]
    public async Task A_pause_ends_at_once_and_says_so_when_the_silo_stops()
    {
        using var stopping = new CancellationTokenSource();
        var pause = CountingLoop.PauseFor(TimeSpan.FromMinutes(10), stopping.Token);
        stopping.Cancel();

        Assert.False(await pause.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    sealed class CountingLoop : SiloLoop
    {
        public int Rounds;
        public bool Finished;
        public readonly TaskCompletionSource SecondRound = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static Task<bool> PauseFor(TimeSpan period, CancellationToken stopping) => Pause(period, stopping);

        protected override async Task Run(CancellationToken stopping)
        {
            do
            {
                if (++Rounds == 2) SecondRound.TrySetResult();
            }
            while (await Pause(TimeSpan.FromMilliseconds(10), stopping));
            await Task.Delay(50, CancellationToken.None);
            Finished = true;
        }
    }

    sealed class RecordedLifecycle : ISiloLifecycle
    {
        public int Stage;
        public ILifecycleObserver? Observer;

        public int HighestCompletedStage => 0;

        public int LowestStoppedStage => 0;

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            (Stage, Observer) = (stage, observer);
            return new Unsubscribe();
        }

        sealed class Unsubscribe : IDisposable
        {
            public void Dispose() { }
        }
    }
}
