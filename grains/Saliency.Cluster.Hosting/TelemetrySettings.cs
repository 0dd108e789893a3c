namespace Saliency.Cluster.Hosting;

/// <summary>
/// Where telemetry goes (the <c>Telemetry</c> configuration section). OTLP follows the OpenTelemetry
/// conventions: it is on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (or <see cref="OtlpEndpoint"/>),
/// with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c> as users expect.
/// </summary>
public sealed class TelemetrySettings
{
    public const string Section = "Telemetry";

    public string? OtlpEndpoint { get; set; }

    /// <summary>Port of this process's Prometheus scrape endpoint; none when null.</summary>
    public int? PrometheusPort { get; set; }

    /// <summary>Address the scrape endpoint and the Orleans Dashboard bind: loopback unless configured otherwise.</summary>
    public string PrometheusHost { get; set; } = "127.0.0.1";

    /// <summary>Port of the Orleans Dashboard (grain and silo statistics) on this silo; none when null.</summary>
    public int? OrleansDashboardPort { get; set; }
}
