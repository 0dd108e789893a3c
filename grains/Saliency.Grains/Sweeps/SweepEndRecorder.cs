using Microsoft.Extensions.Logging;
using Saliency.Grains.Contracts;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// Records the status a sweep's session ended with: persisted with its state and listed in the directory, by
/// <paramref name="record"/>. The grain store may be away (a Redis restart) just when a sweep ends: then it is tried again
/// every <see cref="RetryPeriod"/>, on a timer that <paramref name="every"/> starts, until it lands, rather than leaving
/// the sweep listed as running and its name taken.
/// </summary>
/// <param name="every">Starts a timer that calls its argument every <see cref="RetryPeriod"/>; disposing it stops it.</param>
internal sealed class SweepEndRecorder(string sweepId, Func<Task> record, Func<Func<Task>, IDisposable> every, ILogger logger)
{
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(2);

    IDisposable? retry;

    /// <summary>
    /// True while the first attempt is under way. Progress reports the ending only after it, so a client that sees a sweep
    /// end finds it so in the listing too.
    /// </summary>
    public bool Recording { get; private set; }

    /// <summary>True while an attempt has failed and the timer tries again.</summary>
    public bool Retrying => retry is not null;

    /// <summary>Records now; on failure, logs it once and leaves the timer trying. Never throws.</summary>
    public async Task Record(SweepStatus status)
    {
        Recording = true;
        try { await Attempt(status); }
        finally { Recording = false; }
    }

    async Task Attempt(SweepStatus status)
    {
        try
        {
            await record();
            retry?.Dispose();
            retry = null;
        }
        catch (Exception error)
        {
            if (retry is not null) return;
            logger.LogWarning("sweep {Sweep}: recording status {Status} failed ({Reason}); trying again every {Period}",
                sweepId, status, error.Message, RetryPeriod);
            retry = every(() => Attempt(status));
        }
    }
}
