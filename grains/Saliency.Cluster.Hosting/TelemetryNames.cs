namespace Saliency.Cluster.Hosting;

/// <summary>The names of Saliency's activity sources and meter, which silos emit and every process's telemetry listens to.</summary>
public static class TelemetryNames
{
    /// <summary>What every activity source of Saliency's is named under, the attribution library's (<c>Saliency.Attribution</c>) among them.</summary>
    public const string SourcePrefix = "Saliency.";

    /// <summary>The sweep runner's spans (<c>SweepTelemetry.Source</c> on the silos).</summary>
    public const string SweepSource = "Saliency.Sweeps";

    /// <summary>The sweep runner's counters, histograms and gauges.</summary>
    public const string Meter = "Saliency";
}
