using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Saliency.Cluster.Hosting;

/// <summary>The one place the client and every silo configure traces, metrics and logs.</summary>
public static class SaliencyTelemetryExtensions
{
    /// <summary>Every source of Saliency's own (<c>Saliency.*</c>: the sweeps, the attribution library, the client) and Orleans'.</summary>
    public static readonly string[] ActivitySources = [TelemetryNames.SourcePrefix + "*", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static readonly string[] Meters = [TelemetryNames.Meter, "Microsoft.Orleans"];

    /// <param name="serviceName">Used unless <c>OTEL_SERVICE_NAME</c> names the service.</param>
    /// <param name="attributes">Resource attributes of this process, such as a silo's role and device.</param>
    public static IHostApplicationBuilder AddSaliencyTelemetry(this IHostApplicationBuilder builder, string serviceName,
        IReadOnlyDictionary<string, object>? attributes = null, TelemetrySettings? settings = null)
    {
        settings ??= builder.Configuration.GetSection(TelemetrySettings.Section).Get<TelemetrySettings>() ?? new TelemetrySettings();
        var otlp = settings.OtlpEndpoint ?? Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (string.IsNullOrEmpty(otlp) && settings.PrometheusPort is null) return builder;

        void Otlp(OtlpExporterOptions options)
        {
            if (settings.OtlpEndpoint is { } endpoint) options.Endpoint = new Uri(endpoint);
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? serviceName, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}")
                .AddAttributes(attributes ?? new Dictionary<string, object>())
                .AddEnvironmentVariableDetector());
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(Meters);
            if (!string.IsNullOrEmpty(otlp)) metrics.AddOtlpExporter(Otlp);
            if (settings.PrometheusPort is { } port)
                metrics.AddPrometheusHttpListener(options => { options.Host = settings.PrometheusHost; options.Port = port; });
        });
        if (!string.IsNullOrEmpty(otlp))
        {
            telemetry.WithTracing(tracing => tracing.AddSource(ActivitySources).AddOtlpExporter(Otlp));
            telemetry.WithLogging(logging => logging.AddOtlpExporter(Otlp));
        }
        return builder;
    }
}
