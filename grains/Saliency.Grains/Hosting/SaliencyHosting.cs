using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using System.Net;
using Saliency.Grains.Telemetry;

namespace Saliency.Grains.Hosting;

/// <summary>The one place silos and clients are configured: clustering, endpoints, Saliency's grains.</summary>
public static class SaliencyHosting
{
    /// <summary>
    /// A silo host from the usual .NET configuration order: appsettings.json, environment variables
    /// (<c>Saliency__Role=worker</c>), command line (<c>--Saliency:Role worker</c>), then <paramref name="configure"/>.
    /// </summary>
    public static IHost BuildSilo(string[] args, Action<SaliencySiloOptions>? configure = null, ClusterEndpoints? endpoints = null,
        LogLevel logLevel = LogLevel.Information, TelemetrySettings? telemetry = null)
    {
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true).AddEnvironmentVariables().AddCommandLine(args);
        telemetry ??= configuration.GetSection(TelemetrySettings.Section).Get<TelemetrySettings>() ?? new TelemetrySettings();
        // A web host only where the Orleans Dashboard is asked for: otherwise no HTTP listener at all.
        var web = telemetry.OrleansDashboardPort is null ? null
            : WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        IHostApplicationBuilder builder = web as IHostApplicationBuilder
            ?? Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Orleans", logLevel < LogLevel.Warning ? LogLevel.Warning : logLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        endpoints ??= builder.Configuration.GetSection(ClusterEndpoints.Section).Get<ClusterEndpoints>() ?? new ClusterEndpoints();
        var options = builder.Configuration.GetSection(SaliencySiloOptions.Section).Get<SaliencySiloOptions>() ?? new SaliencySiloOptions();
        configure?.Invoke(options);
        builder.AddSaliencyTelemetry("saliency-silo", new Dictionary<string, object>
        {
            ["saliency.silo.role"] = options.Role.ToString().ToLowerInvariant(),
            ["saliency.device"] = options.Device,
        }, telemetry);
        builder.UseOrleans(silo =>
        {
            silo.UseSaliencyClustering(endpoints);
            silo.AddActivityPropagation();
            silo.AddSaliency(configure);
            if (web is not null) silo.AddDashboard();
        });
        if (web is null) return ((HostApplicationBuilder)builder).Build();

        web.WebHost.UseUrls($"http://{telemetry.PrometheusHost}:{telemetry.OrleansDashboardPort}");
        var app = web.Build();
        app.MapOrleansDashboard();
        return app;
    }

    public static ISiloBuilder UseSaliencyClustering(this ISiloBuilder silo, ClusterEndpoints endpoints)
    {
        if (endpoints.Clustering != "localhost")
            throw new ArgumentException($"clustering '{endpoints.Clustering}' is not supported (known: localhost)");
        var primary = new IPEndPoint(IPAddress.Loopback, endpoints.PrimarySiloPort ?? endpoints.SiloPort);
        silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, primary, serviceId: endpoints.ClusterId, clusterId: endpoints.ClusterId);
        return silo;
    }

    /// <summary>A client of a running cluster: <c>localhost</c>, <c>localhost:PORT</c> or <c>PORT</c> (the gateway port).</summary>
    public static IHost BuildClient(string cluster, LogLevel logLevel = LogLevel.Warning)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(logLevel);
        var gatewayPort = ParseGatewayPort(cluster);
        builder.AddSaliencyTelemetry("saliency-client");
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, "saliency", "saliency").AddActivityPropagation());
        return builder.Build();
    }

    static int ParseGatewayPort(string cluster)
    {
        var text = cluster.StartsWith("localhost", StringComparison.Ordinal) ? cluster["localhost".Length..].TrimStart(':') : cluster;
        if (text.Length == 0) return ClusterEndpoints.DefaultGatewayPort;
        if (int.TryParse(text, out var port) && port is > 0 and < 65536) return port;
        throw new ArgumentException($"--cluster '{cluster}' is not localhost, localhost:PORT or PORT");
    }
}
