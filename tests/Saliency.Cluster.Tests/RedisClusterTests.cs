using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Saliency.Attribution.Results;
using Saliency.Cli.Cluster;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Workers;

namespace Saliency.Cluster.Tests;

/// <summary>Separate silo hosts that find each other only through a real Redis server, as on many machines.</summary>
public sealed class RedisClusterTests
{
    [Fact]
    public async Task A_coordinator_and_two_workers_clustered_through_redis_run_a_sweep_submitted_by_a_redis_client()
    {
        using var redis = await RedisServer.Start();
        var root = Path.Combine(Path.GetTempPath(), "saliency-redis-cluster-" + Guid.NewGuid().ToString("N")[..8]);
        IHost Silo(SiloRole role) => SaliencyHosting.BuildSilo([], options =>
        {
            options.Role = role;
            options.ArtifactRoot = Path.Combine(root, "runs");
            options.TorchThreads = 1;
            (options.GrainStorage, options.Redis) = ("redis", redis.Endpoint);
        }, ClusterEndpoints.OnFreePorts() is var ports ? new ClusterEndpoints
        {
            Clustering = "redis",
            Redis = redis.Endpoint,
            SiloPort = ports.SiloPort,
            GatewayPort = ports.GatewayPort,
            ClusterId = "redis-test",
        } : null, LogLevel.Error);

        using var coordinator = Silo(SiloRole.Coordinator);
        using var worker1 = Silo(SiloRole.Worker);
        using var worker2 = Silo(SiloRole.Worker);
        foreach (var silo in new[] { coordinator, worker1, worker2 }) await silo.StartAsync();
        using var client = ClusterConnection.BuildHost($"redis://{redis.Endpoint}", clusterId: "redis-test");
        await client.StartAsync();
        var grains = client.Services.GetRequiredService<IClusterClient>();
        // A client takes the grain types it may call from the gateway it joins; on a loaded machine a worker's gateway may not
        // know the coordinator's yet. Both workers in the registry means the coordinator's grains answer, as a user would wait.
        await WorkerRegistryWait.ForLiveWorkers(grains, 2, TimeSpan.FromSeconds(60));

        var ticket = await grains.GetGrain<ISweepDirectoryGrain>(0).Submit(new SweepSubmission(Specs.Small("through-redis"), "redis.yaml"));
        var sweep = grains.GetGrain<ISweepCoordinatorGrain>(ticket.SweepId);
        SweepProgress progress;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!(progress = await sweep.GetProgress()).Finished && DateTime.UtcNow < deadline) await Task.Delay(200);

        Assert.Equal(SweepStatus.Completed, progress.Status);
        var keys = ResultLog.Read(ResultLog.PathIn(progress.RunDirectory)).SelectMany(o => o.Images.Select(i => (o.Trial, i.Key))).ToList();
        Assert.Equal(3 * 24, keys.Distinct().Count());
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Contains(await grains.GetGrain<ISweepDirectoryGrain>(0).List(), s => s.SweepId == ticket.SweepId && s.Status == SweepStatus.Completed);
        Assert.False(Directory.Exists(Path.Combine(root, "runs", ".grains")), "grain state went to files instead of Redis");

        await client.StopAsync();
        foreach (var silo in new[] { worker2, worker1, coordinator }) await silo.StopAsync();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
