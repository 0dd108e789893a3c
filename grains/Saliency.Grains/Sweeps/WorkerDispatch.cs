using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Grains.Contracts;
using Saliency.Grains.Telemetry;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// Sends a sweep's work to the live workers: each gets up to twice its compute slots in flight, a worker that did not
/// take its items is left alone for a few seconds while the others are filled, and every dispatch is a span of the
/// sweep's trace. What to send comes from the session's <see cref="SweepEngine"/>.
/// </summary>
internal sealed class WorkerDispatch(string sweepId, IGrainFactory grains, SweepSession session, ILogger logger)
{
    const int InFlightPerSlot = 2;
    static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(5);
    static readonly TimeSpan UnreachablePause = TimeSpan.FromSeconds(5);

    readonly Dictionary<string, DateTime> unreachable = new();
    IReadOnlyList<WorkerInfo> workers = [];

    /// <summary>The workers alive now, from the registry.</summary>
    public async Task<IReadOnlySet<string>> RefreshAsync()
    {
        workers = await grains.GetGrain<IWorkerRegistryGrain>(0).LiveWorkers();
        return workers.Select(w => w.Silo).ToHashSet();
    }

    /// <summary>Fills every live worker up to its share of the window.</summary>
    public async Task PumpAsync(SweepJob job, ActivityContext trace)
    {
        if (workers.Count == 0) await RefreshAsync();
        foreach (var worker in workers)
        {
            if (unreachable.TryGetValue(worker.Silo, out var since) && DateTime.UtcNow - since < UnreachablePause) continue;
            var engine = session.Engine;
            var items = engine.Next(worker.Silo, worker.Slots * InFlightPerSlot - engine.InFlightOn(worker.Silo), workers.Count, DateTime.UtcNow);
            if (items.Count == 0) continue;
            using var span = SweepTelemetry.Source.StartActivity("dispatch", ActivityKind.Producer, trace);
            span?.SetTag("saliency.sweep", sweepId);
            span?.SetTag("saliency.worker", worker.Name);
            span?.SetTag("saliency.work_items", string.Join(" ", items.Select(i => $"{i.Trial}/{i.Shard}#{i.Attempt}")));
            try
            {
                await grains.GetGrain<IShardWorkerGrain>(worker.Silo).Accept(job, items.Select(i => i.ToWire()).ToList()).WaitAsync(AcceptTimeout);
                unreachable.Remove(worker.Silo);
            }
            catch (Exception error)
            {
                span?.SetStatus(ActivityStatusCode.Error, error.Message);
                logger.LogWarning("sweep {Sweep}: worker {Worker} did not accept work: {Reason}", sweepId, worker.Name, error.Message);
                unreachable[worker.Silo] = DateTime.UtcNow;
                engine.NotAccepted(items);
            }
        }
    }
}
