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

    public static async Task<ClusterConnection> Open(string cluster)
    {
        var host = SaliencyHosting.BuildClient(cluster);
        try
        {
            await host.StartAsync();
            return new ClusterConnection(host);
        }
        catch (Exception error) when (error is not ArgumentException)
        {
            host.Dispose();
            throw new IOException($"no Saliency cluster answers at '{cluster}' ({error.Message}); start one with ./saliency silo");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await host.StopAsync(TimeSpan.FromSeconds(5)); }
        finally { host.Dispose(); }
    }
}
