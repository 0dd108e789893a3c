using System.Runtime.CompilerServices;

namespace Saliency.Grains.Telemetry;

/// <summary>
/// One sweep's gauges: the coordinator publishes its counts on its own turns, and the exporter, on a thread of its own,
/// reads the counts last published, replaced whole, never the coordinator's live parts.
/// </summary>
internal sealed class SweepGauges : IDisposable
{
    volatile StrongBox<SweepTelemetry.SweepCounters> published = new(default);
    IDisposable? registration;

    public void Publish(long total, long done, long failed, long inFlight) =>
        published = new(new SweepTelemetry.SweepCounters(done, total, inFlight, Math.Max(0, total - done - failed - inFlight)));

    /// <summary>Shows the sweep's gauges until <see cref="Dispose"/>; again after a dispose.</summary>
    public void Track(string sweepId) => registration ??= SweepTelemetry.TrackSweep(sweepId, () => published.Value);

    public void Dispose()
    {
        registration?.Dispose();
        registration = null;
    }
}
