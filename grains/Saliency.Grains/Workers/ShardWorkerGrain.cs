using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Saliency.Grains.Contracts;
using Saliency.Grains.Placement;
using Saliency.Grains.Sweeps;
using Saliency.Grains.Telemetry;

namespace Saliency.Grains.Workers;

/// <summary>
/// A worker silo's door: queues work items on the silo's compute threads and returns at once;
/// each result, or the reason it failed, is reported to the sweep's coordinator when ready.
/// </summary>
[WorkerSiloPlacement]
internal sealed class ShardWorkerGrain(ComputeQueue compute, WorkerSweepCache resources, IGrainFactory grains, ILogger<ShardWorkerGrain> logger)
    : Grain, IShardWorkerGrain
{
    static readonly TimeSpan[] ReportBackoff = [.. new[] { 0.5, 1, 2, 4, 8, 15, 30 }.Select(TimeSpan.FromSeconds)];
    /// <summary>How often a work item says how far it has come: often enough for a live view, rarely enough to cost nothing.</summary>
    static readonly TimeSpan ProgressPeriod = TimeSpan.FromSeconds(2);

    public Task Accept(SweepJob job, IReadOnlyList<WorkItem> items)
    {
        var worker = this.GetPrimaryKeyString();
        var dispatch = Activity.Current?.Context ?? default;
        foreach (var item in items)
            compute.Enqueue(() => Compute(job, item, worker, dispatch));
        resources.Prefetch(job, items);
        return Task.CompletedTask;
    }

    void Compute(SweepJob job, WorkItem item, string worker, ActivityContext dispatch)
    {
        using var span = SweepTelemetry.Source.StartActivity("compute shard", ActivityKind.Consumer, dispatch);
        span?.SetTag("saliency.sweep", job.SweepId);
        span?.SetTag("saliency.trial", item.Trial);
        span?.SetTag("saliency.shard", item.Shard);
        span?.SetTag("saliency.shard.range", $"{item.Start}-{item.Start + item.Count - 1}");
        span?.SetTag("saliency.images", item.Count);
        span?.SetTag("saliency.attempt", item.Attempt);
        span?.SetTag("saliency.worker", worker);
        span?.SetTag("saliency.device", resources.Device);
        Func<ISweepCoordinatorGrain, Task> report;
        var clock = Stopwatch.StartNew();
        try
        {
            using var lease = resources.Acquire(job);
            var sweep = lease.Sweep;
            span?.SetTag("saliency.trial.label", sweep.Spec.Trials.ElementAtOrDefault(item.Trial)?.Label);
            var outcome = sweep.Run(item, Progress(job.SweepId, item, worker));
            var sent = outcome.ToWire();
            SweepTelemetry.ImagesAttributed.Add(outcome.Images.Count,
                new KeyValuePair<string, object?>("saliency.sweep", job.SweepId),
                new KeyValuePair<string, object?>("saliency.method", sweep.Spec.Trials[item.Trial].Method));
            report = coordinator => coordinator.ReportDone(new WorkReport(item, worker, sent));
        }
        catch (Exception error)
        {
            span?.SetStatus(ActivityStatusCode.Error, error.Message);
            span?.AddException(error);
            var failure = new WorkFailure(item, worker, Describe(error), IsRetryable(error));
            report = coordinator => coordinator.ReportFailed(failure);
        }
        SweepTelemetry.ShardDuration.Record(clock.Elapsed.TotalSeconds);
        logger.LogInformation("computed trial {Trial} shard {Shard} of {Sweep} in {Seconds:F1} s; reporting it", item.Trial, item.Shard, job.SweepId, clock.Elapsed.TotalSeconds);
        _ = ReportWithRetries(job.SweepId, item, report);
    }

    /// <summary>Tells the coordinator how far the item has come, at most once per <see cref="ProgressPeriod"/>; a lost report only delays the view.</summary>
    Action<double> Progress(string sweepId, WorkItem item, string worker)
    {
        var coordinator = grains.GetGrain<ISweepCoordinatorGrain>(sweepId);
        var last = Stopwatch.StartNew();
        return imagesDone =>
        {
            if (last.Elapsed < ProgressPeriod) return;
            last.Restart();
            coordinator.ReportProgress(new WorkProgress(item, worker, imagesDone)).ContinueWith(
                report => logger.LogDebug("progress of trial {Trial} shard {Shard} not reported: {Reason}", item.Trial, item.Shard, report.Exception?.GetBaseException().Message),
                TaskContinuationOptions.OnlyOnFaulted);
        };
    }

    /// <summary>A coordinator that restarts is unreachable for a while; if it stays so, it dispatches the item again itself.</summary>
    async Task ReportWithRetries(string sweepId, WorkItem item, Func<ISweepCoordinatorGrain, Task> report)
    {
        var coordinator = grains.GetGrain<ISweepCoordinatorGrain>(sweepId);
        foreach (var delay in ReportBackoff.Append(TimeSpan.Zero))
        {
            try { await report(coordinator); return; }
            catch (Exception error) when (delay > TimeSpan.Zero)
            {
                logger.LogWarning("reporting trial {Trial} shard {Shard} of {Sweep} failed ({Reason}); retrying in {Delay}",
                    item.Trial, item.Shard, sweepId, error.Message, delay);
                await Task.Delay(delay);
            }
            catch (Exception error)
            {
                logger.LogError("giving up reporting trial {Trial} shard {Shard} of {Sweep}: {Reason}", item.Trial, item.Shard, sweepId, error.Message);
            }
        }
    }

    static string Describe(Exception error) => error switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        _ => $"{error.GetType().Name}: {error.Message}",
    };

    /// <summary>Bad input, a bad model or non-finite scores fail the same way every time; anything else may pass on another try.</summary>
    static bool IsRetryable(Exception error) => error is not (ArgumentException or FormatException or InvalidOperationException
        or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or NotSupportedException
        or Saliency.Attribution.Data.BadImageException);
}
