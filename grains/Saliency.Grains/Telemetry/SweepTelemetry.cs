using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Saliency.Cluster.Hosting;

namespace Saliency.Grains.Telemetry;

/// <summary>
/// The sweep runner's spans and metrics. Counters are added where events happen; gauges read the
/// live coordinators and compute queues that register themselves here.
/// </summary>
internal static class SweepTelemetry
{
    public const string SourceName = TelemetryNames.SweepSource;
    public const string MeterName = TelemetryNames.Meter;

    public static readonly ActivitySource Source = new(SourceName);
    static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> ImagesAttributed = Meter.CreateCounter<long>(
        "saliency.images.attributed", "{image}", "(trial, image) results computed by workers; its rate is attributions per second");
    /// <summary>Work items take from a tenth of a second (gradients) to minutes (I-GOS on large shards).</summary>
    static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120, 300, 600],
    };

    public static readonly Histogram<double> ShardDuration = Meter.CreateHistogram(
        "saliency.shard.duration", "s", "Seconds a worker spent on one work item", advice: Seconds);
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "saliency.work_items.retried", "{work_item}", "Work items dispatched again after a lost worker, a timeout or a transient error");
    public static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        "saliency.work_items.failed", "{work_item}", "Work items that failed for good");
    public static readonly Counter<long> Duplicates = Meter.CreateCounter<long>(
        "saliency.work_items.duplicates", "{work_item}", "Results that arrived twice and were dropped");
    public static readonly Counter<long> TrialsStopped = Meter.CreateCounter<long>(
        "saliency.trials.stopped", "{trial}", "Trials a halving schedule stopped at a rung, as beaten by the best");
    public static readonly Counter<long> GrainStateWritten = Meter.CreateCounter<long>(
        "saliency.grain_state.written", "By", "Bytes of grain state written by the file grain storage, per state name");
    public static readonly Histogram<double> ModelLoad = Meter.CreateHistogram(
        "saliency.model.load.duration", "s", "Seconds to load a model on a worker silo", advice: Seconds);

    static readonly ConcurrentDictionary<string, Func<SweepCounters>> Sweeps = new();
    static readonly ConcurrentDictionary<object, Func<int>> Queues = new();

    static SweepTelemetry()
    {
        Meter.CreateObservableGauge("saliency.sweep.work_items.done", () => Read(c => c.Done), "{work_item}", "Work items done, per sweep");
        Meter.CreateObservableGauge("saliency.sweep.work_items.total", () => Read(c => c.Total), "{work_item}", "Work items of the sweep, per sweep");
        Meter.CreateObservableGauge("saliency.sweep.work_items.in_flight", () => Read(c => c.InFlight), "{work_item}", "Work items dispatched and not yet reported, per sweep");
        Meter.CreateObservableGauge("saliency.sweep.work_items.queued", () => Read(c => c.Queued), "{work_item}", "Work items waiting for dispatch, per sweep");
        Meter.CreateObservableGauge("saliency.compute.queued", () => Queues.Values.Sum(q => q()), "{work_item}", "Work items waiting for this silo's compute threads");
    }

    /// <summary>A span for one rung decision of a sweep's schedule, in the sweep's trace, with its evidence.</summary>
    /// <param name="traceParent">The W3C trace context of the sweep's submission.</param>
    public static void Decided(string sweepId, string? traceParent, string trial, int rung, bool stopped, string evidence)
    {
        using var span = Source.StartActivity("rung decision", ActivityKind.Internal, SweepTrace(traceParent));
        span?.SetTag("saliency.sweep", sweepId);
        span?.SetTag("saliency.trial", trial);
        span?.SetTag("saliency.rung", rung);
        span?.SetTag("saliency.stopped", stopped);
        span?.SetTag("saliency.evidence", evidence);
        if (stopped) TrialsStopped.Add(1);
    }

    /// <summary>The context every span of a sweep joins: its submission's, when it had one.</summary>
    public static ActivityContext SweepTrace(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var context) ? context : default;

    public readonly record struct SweepCounters(long Done, long Total, long InFlight, long Queued);

    public static IDisposable TrackSweep(string sweepId, Func<SweepCounters> read)
    {
        Sweeps[sweepId] = read;
        return new Registration(() => Sweeps.TryRemove(sweepId, out _));
    }

    public static IDisposable TrackQueue(object queue, Func<int> read)
    {
        Queues[queue] = read;
        return new Registration(() => Queues.TryRemove(queue, out _));
    }

    static IEnumerable<Measurement<long>> Read(Func<SweepCounters, long> value) =>
        Sweeps.Select(s => new Measurement<long>(value(s.Value()), new KeyValuePair<string, object?>("saliency.sweep", s.Key)));

    sealed class Registration(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
