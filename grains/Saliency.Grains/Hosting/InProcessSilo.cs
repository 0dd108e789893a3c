using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Contracts;

namespace Saliency.Grains.Hosting;

/// <summary>
/// A started silo inside this process, the one way <c>run</c>, <c>demo</c> and the benchmarks embed a cluster: every role
/// unless <c>configure</c> says otherwise, free loopback ports unless endpoints are given, errors alone in the log.
/// Disposing it stops it, within <see cref="StopLimit"/>.
/// </summary>
public sealed class InProcessSilo : IAsyncDisposable
{
    /// <summary>How long a stop may take: the work in flight of a sweep left running is dropped after it.</summary>
    public static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);

    readonly IHost host;

    InProcessSilo(IHost host, ClusterEndpoints endpoints) => (this.host, Endpoints) = (host, endpoints);

    /// <summary>Where it listens; a client or a worker silo process joins it at <see cref="ClusterEndpoints.GatewayPort"/> and <see cref="ClusterEndpoints.SiloPort"/>.</summary>
    public ClusterEndpoints Endpoints { get; }

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    public ISweepDirectoryGrain Directory => Grains.GetGrain<ISweepDirectoryGrain>(0);

    public ISweepCoordinatorGrain Sweep(string id) => Grains.GetGrain<ISweepCoordinatorGrain>(id);

    /// <exception cref="ArgumentException">The options break a rule of <see cref="SaliencySiloOptions.Problems"/>.</exception>
    /// <exception cref="Saliency.Attribution.Models.ComputeDeviceUnavailableException">The device asked for is missing.</exception>
    public static async Task<InProcessSilo> Start(Action<SaliencySiloOptions>? configure = null, ClusterEndpoints? endpoints = null,
        TelemetrySettings? telemetry = null, CancellationToken cancellation = default)
    {
        endpoints ??= ClusterEndpoints.OnFreePorts();
        var host = SaliencyHosting.BuildSilo([], options =>
        {
            options.Embedded = true;
            configure?.Invoke(options);
        }, endpoints, LogLevel.Error, telemetry);
        try
        {
            await host.StartAsync(cancellation);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new InProcessSilo(host, endpoints);
    }

    public async ValueTask DisposeAsync()
    {
        try { await host.StopAsync(StopLimit); }
        finally { host.Dispose(); }
    }
}
