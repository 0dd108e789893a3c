using System.Diagnostics;
using System.Globalization;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Hosting;

namespace Saliency.Cluster.Tests;

/// <summary>Silo processes asked to stop (SIGTERM, as systemd and Kubernetes ask) while their Redis is away.</summary>
public sealed class BoundedStopTests : IDisposable
{
    const int StopSeconds = 8;
    readonly string root = Path.Combine(Path.GetTempPath(), "saliency-stop-" + Guid.NewGuid().ToString("N")[..8]);

    public BoundedStopTests() => Directory.CreateDirectory(root);

    [Fact]
    public async Task A_coordinator_and_a_worker_stopped_with_redis_gone_exit_within_their_bound()
    {
        using var redis = await RedisServer.Start();
        var (coordinatorPorts, workerPorts) = (ClusterEndpoints.OnFreePorts(), ClusterEndpoints.OnFreePorts());
        using var coordinator = ChildProcess.Start("coordinator", Binaries.SiloHost, [
            "--Saliency:Role", "Coordinator", "--Saliency:ArtifactRoot", Path.Combine(root, "runs"), "--Saliency:GrainStorage", "redis",
            "--Saliency:Redis", redis.Endpoint, "--Saliency:StopSeconds", $"{StopSeconds}", "--Cluster:Clustering", "redis", "--Cluster:Redis", redis.Endpoint,
            "--Cluster:SiloPort", $"{coordinatorPorts.SiloPort}", "--Cluster:GatewayPort", $"{coordinatorPorts.GatewayPort}"], root);
        await coordinator.WaitForLine(l => l.Contains("Application started"), TimeSpan.FromSeconds(60));
        using var worker = ChildProcess.Start("worker", Binaries.Cli, [
            "silo", "--role", "worker", "--redis", redis.Endpoint, "--threads", "1", "--runs", Path.Combine(root, "worker-runs"),
            "--silo-port", $"{workerPorts.SiloPort}", "--gateway-port", $"{workerPorts.GatewayPort}", "--stop-seconds", $"{StopSeconds}"], root);
        await worker.WaitForLine(l => l.Contains("Application started"), TimeSpan.FromSeconds(60));

        redis.Kill();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        Terminate(coordinator);
        Terminate(worker);
        var exits = await Task.WhenAll(coordinator.Exit(TimeSpan.FromSeconds(StopSeconds + 30)), worker.Exit(TimeSpan.FromSeconds(StopSeconds + 30)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(StopSeconds + 7), $"both exited only {clock.Elapsed.TotalSeconds:F1} s after SIGTERM");
        // Either stopped cleanly within the bound or left at it, saying so.
        foreach (var (silo, code) in new[] { (coordinator, exits[0]), (worker, exits[1]) })
            Assert.True(code == 0 || (code == BoundedStop.PastBound && silo.Lines.Any(l => l.Line.Contains("did not stop within"))),
                $"{silo.Name} exited with {code}:\n{silo.Tail(20)}");
    }

    static void Terminate(ChildProcess process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
