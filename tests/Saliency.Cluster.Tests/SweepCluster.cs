using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Workers;

namespace Saliency.Cluster.Tests;

/// <summary>
/// A real Orleans cluster in this process: one coordinator silo and two worker silos, grain state
/// and run directories in a temporary folder. A silo started later (a restarted coordinator) takes
/// the coordinator role. Membership is tuned so a killed silo is declared dead within seconds.
/// </summary>
public sealed class SweepCluster : IAsyncDisposable
{
    static readonly HashSet<string> WorkerSilos = ["Silo_1", "Silo_2"];

    SweepCluster(InProcessTestCluster cluster, string root) => (Cluster, Root) = (cluster, root);

    public InProcessTestCluster Cluster { get; }
    public string Root { get; }
    public IClusterClient Client => Cluster.Client;

    /// <param name="configure">More configuration of every silo, after the cluster's own.</param>
    public static async Task<SweepCluster> Start(IReadOnlyList<string>? allowedRoots = null, Action<ISiloBuilder>? configure = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "saliency-cluster-" + Guid.NewGuid().ToString("N")[..8]);
        var builder = new InProcessTestClusterBuilder(3);
        builder.Options.ConfigureFileLogging = Environment.GetEnvironmentVariable("SALIENCY_TEST_LOGS") == "1";
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            siloBuilder.AddActivityPropagation();
            siloBuilder.AddSaliency(options =>
            {
                options.Role = WorkerSilos.Contains(silo.SiloName) ? SiloRole.Worker : SiloRole.Coordinator;
                options.ArtifactRoot = Path.Combine(root, "runs");
                options.StateRoot = Path.Combine(root, "state");
                options.TorchThreads = 1;
                // In one process with the test, as an embedded silo: it reads the test's folders unless roots are given.
                options.Embedded = true;
                options.AllowedRoots = [.. allowedRoots ?? []];
            });
            siloBuilder.Services.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
            configure?.Invoke(siloBuilder);
        });
        builder.ConfigureClient(client => client.AddActivityPropagation());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        // A sweep submitted before a worker's first announcement would run on the other worker alone.
        await WorkerRegistryWait.ForLiveWorkers(cluster.Client, WorkerSilos.Count, TimeSpan.FromSeconds(60));
        return new SweepCluster(cluster, root);
    }

    public InProcessSiloHandle Silo(string name) => Cluster.Silos.Single(s => s.Name == name);

    public ISweepCoordinatorGrain Sweep(string id) => Client.GetGrain<ISweepCoordinatorGrain>(id);

    public Task<SweepTicket> Submit(string specText) =>
        Client.GetGrain<ISweepDirectoryGrain>(0).Submit(new SweepSubmission(specText, "test.yaml"));

    /// <summary>Polls the sweep until <paramref name="until"/> holds; calls that fail while silos come and go are retried.</summary>
    public async Task<SweepProgress> WaitFor(string id, Func<SweepProgress, bool> until, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromMinutes(3));
        Exception? last = null;
        SweepProgress? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var progress = seen = await Sweep(id).GetProgress();
                if (until(progress)) return progress;
            }
            catch (Exception error) { last = error; }
            await Task.Delay(200);
        }
        throw new TimeoutException($"sweep {id} did not reach the awaited state in time; last seen: {seen?.Status} {seen?.WorkItemsDone}/{seen?.WorkItemsTotal} " +
            $"done, {seen?.WorkItemsInFlight} in flight, {seen?.Retries} retries, {seen?.WorkItemsFailed} failed ({seen?.Message}); last error: {last?.Message}");
    }

    public Task<SweepProgress> WaitUntilFinished(string id) => WaitFor(id, p => p.Finished);

    public static IReadOnlyList<ShardOutcome> Log(SweepProgress progress) =>
        ResultLog.Read(ResultLog.PathIn(progress.RunDirectory)).ToList();

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
