using Saliency.Grains.Contracts;
using Xunit.Abstractions;
using static Saliency.Cluster.Tests.RealProcessClusterTests;

namespace Saliency.Cluster.Tests;

/// <summary>
/// What a client that reaches a gateway can do, tried as an attacker would: with its own Orleans client calling grains
/// directly, as no saliency command can, and with specs that point at files it should not read. The cluster is real
/// processes on loopback, clustered through Redis.
/// </summary>
public sealed class ClusterBoundaryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_client_cannot_start_a_coordinator_keyed_by_a_path_nor_read_files_through_one()
    {
        await using var cluster = await RealProcessCluster.Start(output);
        var victim = Path.Combine(cluster.Root, "victim");
        Directory.CreateDirectory(victim);
        await File.WriteAllTextAsync(Path.Combine(victim, "secret.txt"), "TOPSECRET-1234");
        var sweep = cluster.Client.GetGrain<ISweepCoordinatorGrain>(victim);

        var start = await Assert.ThrowsAsync<SweepException>(() => sweep.Start(new SweepSubmission(Spec("intruder", 16), "intruder.yaml")));
        var list = await Assert.ThrowsAsync<SweepException>(() => sweep.ListResultFiles());
        var read = await Assert.ThrowsAsync<SweepException>(() => sweep.ReadResultFile("secret.txt", 0, 100));

        Assert.Contains("ISweepCoordinatorGrain.Start is called only by silos", start.Message);
        Assert.Contains("is not a sweep id", list.Message);
        Assert.Contains("is not a sweep id", read.Message);
        Assert.Equal(["secret.txt"], Directory.EnumerateFileSystemEntries(victim).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_client_may_call_only_the_methods_that_face_clients()
    {
        await using var cluster = await RealProcessCluster.Start(output);
        await Scenario(cluster, async () =>
        {
            var id = await cluster.Submit(Spec("guarded", 32), "guarded");
            var sweep = cluster.Client.GetGrain<ISweepCoordinatorGrain>(id);
            var item = new WorkItem(Trial: 0, Shard: 0, Start: 0, Count: 16, Attempt: 0);
            var forged = new Dictionary<string, Func<Task>>
            {
                ["ISweepCoordinatorGrain.ReportDone"] = () => sweep.ReportDone(new WorkReport(item, "forger", new WorkOutcome(0, 0, null, null, null, 0, [], []))),
                ["ISweepCoordinatorGrain.ReportFailed"] = () => sweep.ReportFailed(new WorkFailure(item, "forger", "forged", Retryable: false)),
                ["ISweepCoordinatorGrain.Exists"] = () => sweep.Exists(),
                ["ISweepDirectoryGrain.SetStatus"] = () => cluster.Client.GetGrain<ISweepDirectoryGrain>(0).SetStatus(id, SweepStatus.Cancelled),
                ["ISweepDirectoryGrain.FailOrphans"] = () => cluster.Client.GetGrain<ISweepDirectoryGrain>(0).FailOrphans(),
                ["IWorkerRegistryGrain.Announce"] = () => cluster.Client.GetGrain<IWorkerRegistryGrain>(0).Announce(new WorkerInfo("forger", "forger", 64, "cpu")),
                ["IShardWorkerGrain.Accept"] = async () =>
                {
                    var worker = (await cluster.Client.GetGrain<IWorkerRegistryGrain>(0).LiveWorkers())[0];
                    await cluster.Client.GetGrain<IShardWorkerGrain>(worker.Silo).Accept(new SweepJob(id, Spec("guarded", 32), "forged.yaml"), [item]);
                },
            };

            foreach (var (method, call) in forged)
            {
                var refused = await Assert.ThrowsAsync<SweepException>(call);
                Assert.Contains($"{method} is called only by silos", refused.Message);
            }
            var progress = await cluster.WaitUntilFinished(id);
            Assert.Equal(SweepStatus.Completed, progress.Status);
            Assert.DoesNotContain(await cluster.Client.GetGrain<IWorkerRegistryGrain>(0).LiveWorkers(), w => w.Silo == "forger");
            AssertEveryResultOnce(progress, trials: 2, images: 32);
        });
    }

    [Fact]
    public async Task A_silo_given_no_allowed_roots_reads_only_below_its_working_directory_and_quotes_no_file_in_its_errors()
    {
        await using var cluster = await RealProcessCluster.StartConfined(output);
        await Scenario(cluster, async () =>
        {
            const string secret = "TOPSECRET-1234";
            var images = GeneratedImageFolder.Create(8, cluster.Root);
            var outside = Path.Combine(Path.GetTempPath(), "saliency-private-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(outside);
            var inside = Path.Combine(cluster.Root, "private.txt");
            try
            {
                foreach (var file in new[] { Path.Combine(outside, "private.txt"), inside })
                    await File.WriteAllTextAsync(file, $"first line of a private file: {secret}\n");
                var refused = new Dictionary<string, string>
                {
                    [PhotoFolderSweepTests.Spec("labels-outside", $"folder:{images}", $"labels: {Path.Combine(outside, "private.txt")}")] = "outside this silo's allowed roots",
                    [PhotoFolderSweepTests.Spec("labels-environ", $"folder:{images}", "labels: /proc/self/environ")] = "outside this silo's allowed roots",
                    [PhotoFolderSweepTests.Spec("data-outside", $"folder:{outside}")] = "outside this silo's allowed roots",
                    [PhotoFolderSweepTests.Spec("labels-inside", $"folder:{images}", $"labels: {inside}")] = "private.txt:1: expected two fields",
                };

                foreach (var (spec, expected) in refused)
                {
                    var file = Path.Combine(cluster.Root, $"refused-{Guid.NewGuid():N}.yaml");
                    await File.WriteAllTextAsync(file, spec);
                    var submit = cluster.Cli("submit-refused", "submit", file);
                    var exit = await submit.Exit(TimeSpan.FromSeconds(60));
                    // The error as one text: the console wraps it at 80 columns.
                    var said = string.Join(' ', submit.Lines.Select(l => l.Line.Trim()));
                    Assert.True(exit == 2, $"exit {exit}: {said}");
                    Assert.Contains(expected, said);
                    Assert.DoesNotContain(secret, said);
                }
                var allowed = await cluster.WaitUntilFinished(await cluster.Submit(PhotoFolderSweepTests.Spec("below-working-directory", $"folder:{images}"), "below-working-directory"));
                Assert.Equal(SweepStatus.Completed, allowed.Status);
            }
            finally
            {
                Directory.Delete(outside, recursive: true);
            }
        });
    }
}
