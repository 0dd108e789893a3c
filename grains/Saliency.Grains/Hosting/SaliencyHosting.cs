using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Saliency.Cluster.Hosting;

namespace Saliency.Grains.Hosting;

/// <summary>The one place silos are configured: clustering, endpoints, TLS, telemetry, Saliency's grains. Clients are built by the cluster commands' <c>ClusterConnection</c>.</summary>
public static class SaliencyHosting
{
    /// <summary>
    /// A silo host from the usual .NET configuration order: appsettings.json, environment variables
    /// (<c>Saliency__Role=worker</c>), command line (<c>--Saliency:Role worker</c>), then <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="Saliency.Attribution.Models.ComputeDeviceUnavailableException">A worker silo is configured for CUDA that this build or machine lacks.</exception>
    public static IHost BuildSilo(string[] args, Action<SaliencySiloOptions>? configure = null, ClusterEndpoints? endpoints = null,
        LogLevel logLevel = LogLevel.Information, TelemetrySettings? telemetry = null)
    {
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true).AddEnvironmentVariables().AddCommandLine(args);
        telemetry ??= configuration.GetSection(TelemetrySettings.Section).Get<TelemetrySettings>() ?? new TelemetrySettings();
        // A web host only where the Orleans Dashboard is asked for: otherwise no HTTP listener at all.
        var web = telemetry.OrleansDashboardPort is null ? null
            : WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var builder = web as IHostApplicationBuilder
            ?? Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Orleans", logLevel < LogLevel.Warning ? LogLevel.Warning : logLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        endpoints ??= builder.Configuration.GetSection(ClusterEndpoints.Section).Get<ClusterEndpoints>() ?? new ClusterEndpoints();
        SaliencySiloOptions? chosen = null;
        builder.UseOrleans(silo =>
        {
            silo.UseSaliencyClustering(endpoints);
            silo.AddActivityPropagation();
            // Here the options are bound and the device resolved, once, so a worker that cannot have its device never joins the cluster.
            silo.AddSaliency(configure, out chosen);
            if (chosen.Tls.Enabled) silo.UseSaliencyTls(chosen.Tls);
            if (web is not null) silo.AddDashboard();
        });
        var options = chosen ?? throw new InvalidOperationException("the silo was not configured when it was built");
        // The rules of SaliencySiloOptions.Problems, checked now rather than at start, so a command fails before it prints anything.
        options.Validate();
        RequireTlsOffLoopback(endpoints, options);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.StopSeconds));
        builder.AddSaliencyTelemetry("saliency-silo", new Dictionary<string, object>
        {
            ["saliency.silo.role"] = options.Role.ToString().ToLowerInvariant(),
            ["saliency.device"] = options.Device,
        }, telemetry);
        if (web is null) return ((HostApplicationBuilder)builder).Build();

        web.WebHost.UseUrls($"http://{telemetry.PrometheusHost}:{telemetry.OrleansDashboardPort}");
        var app = web.Build();
        app.MapOrleansDashboard();
        return app;
    }

    /// <summary>A silo that other machines can reach talks TLS, unless its operator says the network is trusted.</summary>
    /// <exception cref="ArgumentException">It is bound off loopback without TLS and without <see cref="SaliencySiloOptions.Insecure"/>.</exception>
    static void RequireTlsOffLoopback(ClusterEndpoints endpoints, SaliencySiloOptions options)
    {
        if (endpoints.Clustering == "localhost" || options.Tls.Enabled || options.Insecure) return;
        if (IPAddress.TryParse(endpoints.Address, out var address) && IPAddress.IsLoopback(address)) return;
        throw new ArgumentException(
            $"this silo listens on {endpoints.Address}, off loopback, without TLS: any machine that reaches its gateway could submit sweeps, " +
            "read their results and cancel them. Give it --tls-cert (docs/cluster.md), or --insecure (Saliency:Insecure) on a network trusted as a whole");
    }

    public static ISiloBuilder UseSaliencyClustering(this ISiloBuilder silo, ClusterEndpoints endpoints)
    {
        switch (endpoints.Clustering)
        {
            case "localhost":
                var primary = new IPEndPoint(IPAddress.Loopback, endpoints.PrimarySiloPort ?? endpoints.SiloPort);
                silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, primary, serviceId: endpoints.ClusterId, clusterId: endpoints.ClusterId);
                break;
            case "redis":
                silo.UseRedisClustering(endpoints.Redis);
                silo.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (endpoints.ClusterId, endpoints.ClusterId));
                silo.ConfigureEndpoints(IPAddress.Parse(endpoints.Address), endpoints.SiloPort, endpoints.GatewayPort);
                break;
            default:
                throw new ArgumentException($"clustering '{endpoints.Clustering}' is not localhost or redis");
        }
        // A silo that stops answering is declared dead after about 3 missed probes of 2 s plus a
        // table refresh, some 10 s in all, and its work goes to the others.
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(2);
            options.NumMissedProbesLimit = 3;
            options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        });
        return silo;
    }

    /// <summary>
    /// Every connection of the silo, in and out, over TLS with <paramref name="tls"/>'s certificate; a peer
    /// without a trusted certificate is refused during the handshake. Certificates are read now, so a wrong
    /// path or password stops the silo before it starts.
    /// </summary>
    public static ISiloBuilder UseSaliencyTls(this ISiloBuilder silo, ClusterTls tls)
    {
        var peers = tls.Load();
        return silo.UseTls(options => ClusterTls.Configure(options, peers));
    }
}
