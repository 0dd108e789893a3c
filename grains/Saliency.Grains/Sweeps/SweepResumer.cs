using Microsoft.Extensions.Logging;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// On a coordinator silo, wakes every sweep the directory lists as running: at start, so a sweep
/// interrupted by a restart goes on without anyone asking, and then every few seconds. A coordinator
/// can also be deactivated while its silo lives — Orleans deactivates the grains whose directory entry
/// was on a silo that died, a worker's included — and without a caller it would not come back; a
/// coordinator restores itself from its state and result log whenever it activates.
/// </summary>
internal sealed class SweepResumer(IGrainFactory grains, ILogger<SweepResumer> logger) : SiloLoop
{
    static readonly TimeSpan WakePeriod = TimeSpan.FromSeconds(10);
    static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(2);

    /// <summary>Wakes the running sweeps every <see cref="WakePeriod"/>, or every <see cref="RetryPeriod"/> while some fail to wake.</summary>
    protected override async Task Run(CancellationToken stopping)
    {
        var first = true;
        var attempt = 0;
        do
        {
            try
            {
                var directory = grains.GetGrain<ISweepDirectoryGrain>(0);
                var failures = 0;
                foreach (var sweep in (await directory.List()).Where(s => s.Status == SweepStatus.Running))
                {
                    // One sweep that cannot wake must not keep those listed after it asleep.
                    try
                    {
                        var progress = await grains.GetGrain<ISweepCoordinatorGrain>(sweep.SweepId).GetProgress();
                        if (first) logger.LogInformation("sweep {Sweep} resumed at {Done} of {Total} work items", sweep.SweepId, progress.WorkItemsDone, progress.WorkItemsTotal);
                    }
                    catch (Exception error) when (!stopping.IsCancellationRequested)
                    {
                        failures++;
                        if (attempt < 10) logger.LogWarning("waking sweep {Sweep} failed: {Reason}", sweep.SweepId, error.Message);
                    }
                }
                // A listed sweep that never started fails to wake: only then is it worth asking which ones are orphans.
                if (failures > 0)
                    foreach (var orphan in await directory.FailOrphans())
                        logger.LogWarning("sweep {Sweep} was listed but never started; marked failed, so its name is free", orphan);
                (first, attempt) = (false, failures > 0 ? attempt + 1 : 0);
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                if (attempt++ < 10) logger.LogWarning("waking running sweeps failed (attempt {Attempt}): {Reason}", attempt, error.Message);
            }
        }
        while (await Pause(attempt > 0 ? RetryPeriod : WakePeriod, stopping));
    }
}
