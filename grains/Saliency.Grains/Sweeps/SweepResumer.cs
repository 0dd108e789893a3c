using Microsoft.Extensions.Logging;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// On a coordinator silo that has just started, wakes every sweep the directory lists as running:
/// a coordinator restores itself from its state and result log when it activates, so a sweep
/// interrupted by a restart goes on without anyone asking.
/// </summary>
public sealed class SweepResumer(IGrainFactory grains, ILogger<SweepResumer> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(SweepResumer), ServiceLifecycleStage.Active,
        starting => { _ = Task.Run(WakeRunningSweeps); return Task.CompletedTask; });

    async Task WakeRunningSweeps()
    {
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            try
            {
                var sweeps = await grains.GetGrain<ISweepDirectoryGrain>(0).List();
                foreach (var sweep in sweeps.Where(s => s.Status == SweepStatus.Running))
                {
                    var progress = await grains.GetGrain<ISweepCoordinatorGrain>(sweep.SweepId).GetProgress();
                    logger.LogInformation("sweep {Sweep} resumed at {Done} of {Total} work items", sweep.SweepId, progress.WorkItemsDone, progress.WorkItemsTotal);
                }
                return;
            }
            catch (Exception error)
            {
                logger.LogWarning("resuming running sweeps failed (attempt {Attempt}): {Reason}", attempt, error.Message);
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}
