using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Saliency.Grains;
using Saliency.Grains.Hosting;

namespace Saliency.Cli.Sweeps;

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
        var host = SaliencyHosting.BuildClient(cluster, tls: tls);
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

    public async ValueTask DisposeAsync()
    {
        try { await host.StopAsync(TimeSpan.FromSeconds(5)); }
        finally { host.Dispose(); }
    }
}
