using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Saliency.Cli.Cluster;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Contracts;
using Saliency.Grains.Workers;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Saliency.Cluster.Tests;

/// <summary>
/// A cluster of real processes on this machine, as on many machines: Debian's redis-server, one
/// coordinator silo (the <c>saliency-silo</c> host program), two worker silos (<c>saliency silo
/// --role worker</c>, one libtorch thread each) and <c>saliency</c> client commands, all finding each
/// other through Redis and keeping grain state there, all on 127.0.0.1 and free ports. The test's own
/// Orleans client (a real client over the same sockets) only polls progress cheaply; everything a
/// user does goes through the built command line. Dispose kills every process it started.
/// </summary>
public sealed class RealProcessCluster : IAsyncDisposable
{
    readonly ITestOutputHelper output;
    readonly List<ChildProcess> processes = new();
    readonly Dictionary<string, int> siloPorts = new();
    readonly ClusterEndpoints coordinatorPorts = ClusterEndpoints.OnFreePorts();
    IHost? client;

    readonly string[] coordinatorSettings;

    /// <summary>The silos' allowed roots: the temporary folder (test data) and the repository (test models); none when confined.</summary>
    readonly string[] allowedRoots;

    RealProcessCluster(ITestOutputHelper output, RedisServer redis, string root, string[] coordinatorSettings, bool confined) =>
        (this.output, Redis, Root, this.coordinatorSettings, allowedRoots) =
        (output, redis, root, coordinatorSettings, confined ? [] : [Path.GetTempPath(), Binaries.RepositoryRoot]);

    public RedisServer Redis { get; }
    public string Root { get; }
    public string Connection => $"redis://{Redis.Endpoint}";
    public string Runs => Path.Combine(Root, "runs");
    public ChildProcess Coordinator { get; private set; } = null!;
    public List<ChildProcess> Workers { get; } = new();
    public IClusterClient Client => client!.Services.GetRequiredService<IClusterClient>();

    /// <summary>Starts Redis, the coordinator and two workers, and waits until both workers have announced themselves.</summary>
    /// <param name="coordinatorSettings">Configuration keys and values (<c>--Saliency:WorkItemTimeout 00:00:05</c>) the coordinator starts with, each time.</param>
    public static Task<RealProcessCluster> Start(ITestOutputHelper output, params string[] coordinatorSettings) =>
        Start(output, confined: false, coordinatorSettings);

    /// <summary>The same cluster with no allowed roots given: its silos read only below their working directory (<see cref="Root"/>) and the built-in sources.</summary>
    public static Task<RealProcessCluster> StartConfined(ITestOutputHelper output) => Start(output, confined: true, []);

    static async Task<RealProcessCluster> Start(ITestOutputHelper output, bool confined, string[] coordinatorSettings)
    {
        var clock = DateTime.UtcNow;
        var root = Path.Combine(Path.GetTempPath(), "saliency-processes-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var cluster = new RealProcessCluster(output, await RedisServer.Start(), root, coordinatorSettings, confined);
        try
        {
            // A client takes the grain types it may call from the gateway it first joins, and a worker that joined before the
            // coordinator may still hand out a manifest without the coordinator's grains: the coordinator first, then the
            // workers, then the client once every silo is up.
            cluster.StartCoordinator();
            await cluster.Coordinator.WaitForLine(l => l.Contains("Application started"), TimeSpan.FromSeconds(60));
            cluster.StartWorker();
            cluster.StartWorker();
            foreach (var silo in cluster.Workers) await silo.WaitForLine(l => l.Contains("Application started"), TimeSpan.FromSeconds(60));
            cluster.client = ClusterConnection.BuildHost(cluster.Connection, LogLevel.Critical);
            await cluster.client.StartAsync();
            await cluster.WaitForLiveWorkers(2);
            output.WriteLine($"cluster of 4 processes up in {(DateTime.UtcNow - clock).TotalSeconds:F1} s (redis {cluster.Redis.Endpoint})");
            return cluster;
        }
        catch
        {
            cluster.WriteLogs();
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The coordinator silo; started again after a kill, it takes the same ports, as a restarted service would.</summary>
    public ChildProcess StartCoordinator(string name = "coordinator")
    {
        var redis = Redis.Endpoint;
        Coordinator = Launch(name, Binaries.SiloHost, [
            "--Saliency:Role", "Coordinator", "--Saliency:ArtifactRoot", Runs, "--Saliency:GrainStorage", "redis", "--Saliency:Redis", redis,
            "--Cluster:Clustering", "redis", "--Cluster:Redis", redis,
            "--Cluster:SiloPort", coordinatorPorts.SiloPort.ToString(CultureInfo.InvariantCulture), "--Cluster:GatewayPort", coordinatorPorts.GatewayPort.ToString(CultureInfo.InvariantCulture),
            .. allowedRoots.SelectMany((r, i) => new[] { $"--Saliency:AllowedRoots:{i}", r }), .. coordinatorSettings]);
        return Coordinator;
    }

    public ChildProcess StartWorker()
    {
        var ports = ClusterEndpoints.OnFreePorts();
        siloPorts[$"worker{Workers.Count + 1}"] = ports.SiloPort;
        var worker = Launch($"worker{Workers.Count + 1}", Binaries.Cli, [
            "silo", "--role", "worker", "--redis", Redis.Endpoint, "--threads", "1", "--runs", Path.Combine(Root, "worker-runs"),
            "--silo-port", ports.SiloPort.ToString(CultureInfo.InvariantCulture), "--gateway-port", ports.GatewayPort.ToString(CultureInfo.InvariantCulture),
            .. (allowedRoots.Length > 0 ? new[] { "--allow", string.Join(',', allowedRoots) } : [])]);
        Workers.Add(worker);
        return worker;
    }

    /// <summary>Starts <c>saliency ARGS --cluster redis://…</c> as its own process.</summary>
    public ChildProcess Cli(string name, params string[] arguments) =>
        Launch(name, Binaries.Cli, [.. arguments, "--cluster", Connection]);

    /// <summary>Runs a client command to its end; throws, with its output, unless it exits with 0.</summary>
    public async Task<ChildProcess> RunCli(string name, params string[] arguments)
    {
        var command = Cli(name, arguments);
        var exit = await command.Exit(TimeSpan.FromSeconds(60));
        if (exit != 0) throw new InvalidOperationException($"saliency {string.Join(' ', arguments)} exited with {exit}:\n{command.Tail(40)}");
        return command;
    }

    /// <summary>
    /// Writes the spec (named <paramref name="name"/>) to a file and submits it with <c>saliency submit</c>; returns the
    /// sweep id, which must be all that it prints on standard output, as <c>id=$(saliency submit spec.yaml)</c> expects.
    /// </summary>
    public async Task<string> Submit(string specText, string name)
    {
        var file = Path.Combine(Root, name + ".yaml");
        await File.WriteAllTextAsync(file, specText);
        var submit = await RunCli("submit", "submit", file);
        return submit.OutputLines is [var id] && id.StartsWith(name + "-", StringComparison.Ordinal) && !id.Contains(' ')
            ? id
            : throw new InvalidDataException($"saliency submit printed other than the sweep id alone on standard output: [{string.Join(" | ", submit.OutputLines)}]\n{submit.Tail(20)}");
    }

    /// <summary><c>saliency status ID --json</c>, parsed.</summary>
    public async Task<JsonElement> Status(string? sweepId = null)
    {
        var status = await RunCli("status", sweepId is null ? ["status", "--json"] : ["status", sweepId, "--json"]);
        // The JSON document, from its opening line to its closing one; the client's own warnings may surround it.
        var lines = status.Lines.Select(l => l.Line).SkipWhile(l => !l.StartsWith('{') && !l.StartsWith('[')).ToList();
        var closing = lines.FindIndex(l => l is "}" or "]");
        return JsonDocument.Parse(string.Join("\n", closing < 0 ? lines : lines.Take(closing + 1))).RootElement.Clone();
    }

    /// <summary>Polls the sweep until <paramref name="until"/> holds; calls that fail while processes come and go are retried.</summary>
    public async Task<SweepProgress> WaitFor(string sweepId, Func<SweepProgress, bool> until, TimeSpan? limit = null)
    {
        SweepProgress? seen = null;
        await Until($"sweep {sweepId} to reach the awaited state", async () => until(seen = await Client.GetGrain<ISweepCoordinatorGrain>(sweepId).GetProgress()),
            limit ?? TimeSpan.FromMinutes(2), () => seen is null ? "never answered" : $"last seen {seen.Status} {seen.WorkItemsDone}/{seen.WorkItemsTotal}, {seen.Retries} retries, {seen.Message}");
        return seen!;
    }

    public Task<SweepProgress> WaitUntilFinished(string sweepId) => WaitFor(sweepId, p => p.Finished);

    /// <summary>
    /// Waits until the cluster's membership table in Redis marks the silo of <paramref name="silo"/>
    /// dead (Orleans' <c>SiloStatus.Dead</c>), as the surviving silos' votes decide; returns when.
    /// </summary>
    public async Task<DateTime> WaitUntilDeclaredDead(ChildProcess silo)
    {
        const int dead = 6;
        var port = $":{siloPorts[silo.Name]}@";
        using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.Endpoint);
        await Until($"{silo.Name} declared dead", async () => (await redis.GetDatabase().HashGetAllAsync("saliency/members/saliency"))
            .Where(entry => entry.Name.ToString() != "Version")
            .Select(entry => JsonDocument.Parse(entry.Value.ToString()).RootElement)
            .Any(member => member.GetProperty("SiloAddress").GetProperty("SiloAddress").GetString()!.Contains(port)
                           && member.GetProperty("Status").GetInt32() == dead), TimeSpan.FromSeconds(60));
        return DateTime.UtcNow;
    }

    /// <summary>Waits until the coordinator's worker registry lists exactly <paramref name="count"/> live workers; returns when.</summary>
    public async Task<DateTime> WaitForLiveWorkers(int count)
    {
        await WorkerRegistryWait.ForLiveWorkers(Client, count, TimeSpan.FromSeconds(60));
        return DateTime.UtcNow;
    }

    static async Task Until(string what, Func<Task<bool>> condition, TimeSpan limit, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow + limit;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition().WaitAsync(TimeSpan.FromSeconds(10))) return;
            }
            catch (Exception error) { last = error; }
            await Task.Delay(100);
        }
        throw new TimeoutException($"waited {limit.TotalSeconds:F0} s for {what}; {state?.Invoke()}; last error: {last?.Message}");
    }

    ChildProcess Launch(string name, string executable, string[] arguments)
    {
        var process = ChildProcess.Start(name, executable, arguments, Root);
        processes.Add(process);
        return process;
    }

    /// <summary>Every process's last output, for a reader of a failed test.</summary>
    public void WriteLogs()
    {
        foreach (var process in processes)
        {
            output.WriteLine($"----- {process.Name} (pid {process.Id}, {(process.HasExited ? "exited" : "running")}) -----");
            output.WriteLine(process.Tail(60));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (client is not null)
        {
            try { await client.StopAsync(TimeSpan.FromSeconds(2)); } catch (Exception) { }
            client.Dispose();
        }
        foreach (var process in processes) process.Dispose();
        Redis.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
