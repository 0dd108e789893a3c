namespace Saliency.Cluster.Hosting;

/// <summary>The names of Saliency's activity sources and meter, which silos emit and every process's telemetry listens to.</summary>
public static class TelemetryNames
{
    /// <summary>The sweep runner's spans (<c>SweepTelemetry.Source</c> on the silos).</summary>
    public const string SweepSource = "Saliency.Sweeps";

    /// <summary>The sweep runner's counters, histograms and gauges.</summary>
    public const string Meter = "Saliency";
}
