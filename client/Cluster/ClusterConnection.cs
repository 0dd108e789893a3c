using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Contracts;

namespace Saliency.Cli.Cluster;

/// <summary>A started Orleans client of a running cluster, for the commands that talk to one.</summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    readonly IHost host;

    ClusterConnection(IHost host) => this.host = host;

    public IClusterClient Client => host.Services.GetRequiredService<IClusterClient>();

    public ISweepCoordinatorGrain Sweep(string id) => Client.GetGrain<ISweepCoordinatorGrain>(id);

    public ISweepDirectoryGrain Directory => Client.GetGrain<ISweepDirectoryGrain>(0);

    /// <summary>How long a gateway may take to let the client in. One that refuses the client's TLS certificate (or the lack of one) never answers, and Orleans would retry forever.</summary>
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(20);

    public static async Task<ClusterConnection> Open(string cluster, ClusterTls? tls = null, TimeSpan? patience = null)
    {
        var host = BuildHost(cluster, tls: tls);
        try
        {
            await host.StartAsync().WaitAsync(patience ?? DefaultPatience);
            return new ClusterConnection(host);
        }
        catch (Exception error) when (error is not ArgumentException)
        {
            if (error is TimeoutException) error = new TimeoutException($"no answer in {(patience ?? DefaultPatience).TotalSeconds:0} s");
            try { await host.StopAsync(TimeSpan.FromSeconds(2)); } catch (Exception) { }
            host.Dispose();
            throw new IOException($"no Saliency cluster answers at '{cluster}' ({error.Message}); start one with ./saliency silo" +
                (tls is { Enabled: true } ? ", or check that it trusts --tls-cert and that --tls-cert's CA or --tls-trust covers its certificate"
                    : "; a cluster run with TLS needs --tls-cert"));
        }
    }

    /// <summary>
    /// A client host of a running cluster, not yet started: <c>redis://HOST:PORT</c> (Redis clustering), or <c>localhost</c>,
    /// <c>localhost:PORT</c> or <c>PORT</c> (a gateway on this machine); over TLS when <paramref name="tls"/> names a certificate,
    /// offering its certificate and checking the silo's.
    /// </summary>
    public static IHost BuildHost(string cluster, LogLevel logLevel = LogLevel.Warning, string clusterId = "saliency", ClusterTls? tls = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(logLevel);
        // Failed connection attempts are retried, and one that never succeeds ends in an error of its own.
        builder.Logging.AddFilter("Orleans.Runtime.Messaging", logLevel < LogLevel.Error ? LogLevel.Error : logLevel);
        builder.AddSaliencyTelemetry("saliency-client");
        builder.UseOrleansClient(client =>
        {
            if (cluster.StartsWith("redis://", StringComparison.Ordinal))
            {
                client.UseRedisClustering(cluster["redis://".Length..]);
                client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (clusterId, clusterId));
            }
            else client.UseLocalhostClustering(GatewayPort(cluster), clusterId, clusterId);
            client.AddActivityPropagation();
            if (tls is { Enabled: true })
            {
                var peers = tls.Load();
                client.UseTls(options => ClusterTls.Configure(options, peers));
            }
        });
        return builder.Build();
    }

    static int GatewayPort(string cluster)
    {
        var text = cluster.StartsWith("localhost", StringComparison.Ordinal) ? cluster["localhost".Length..].TrimStart(':') : cluster;
        if (text.Length == 0) return ClusterEndpoints.DefaultGatewayPort;
        if (int.TryParse(text, out var port) && port is > 0 and < 65536) return port;
        throw new ArgumentException($"--cluster '{cluster}' is not redis://HOST:PORT, localhost, localhost:PORT or PORT");
    }

    public async ValueTask DisposeAsync()
    {
        try { await host.StopAsync(TimeSpan.FromSeconds(5)); }
        finally { host.Dispose(); }
    }
}
