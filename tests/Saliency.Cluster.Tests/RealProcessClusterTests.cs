using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;
using Saliency.Grains.Contracts;
using Xunit.Abstractions;

namespace Saliency.Cluster.Tests;

/// <summary>
/// End to end with real processes and real faults: a worker killed with SIGKILL, the coordinator
/// killed and started again, Redis killed and started again, a watching client killed and started
/// again. Each test prints what it measured.
/// </summary>
public sealed partial class RealProcessClusterTests(ITestOutputHelper output)
{
    /// <summary>IG over two baselines on the first <paramref name="images"/> test images, 16 per shard: about a second per work item per worker here.</summary>
    internal static string Spec(string name, int images, string extra = "") => $$"""
        name: {{name}}
        model: fashion-cnn
        data: fashion-mnist:test:0-{{images - 1}}
        methods:
          ig: { baseline: [black, blur:2], steps: [16] }
        metrics: [deletion, insertion, completeness]
        shard: 16
        seed: 3
        maps: 0
        {{extra}}
        """;

    [Fact]
    public async Task A_worker_process_killed_mid_sweep_is_noticed_and_every_result_lands_once_equal_to_the_library()
    {
        const int images = 128;
        var clock = DateTime.UtcNow;
        await using var cluster = await RealProcessCluster.Start(output);
        await Scenario(cluster, async () =>
        {
            var spec = Spec("worker-killed", images);
            var submitted = DateTime.UtcNow;
            var id = await cluster.Submit(spec, "worker-killed");
            var before = await cluster.WaitFor(id, p => p.WorkItemsDone >= 3);
            var killed = DateTime.UtcNow;
            cluster.Workers[1].Kill();
            var (deadAt, droppedAt) = (cluster.WaitUntilDeclaredDead(cluster.Workers[1]), cluster.WaitForLiveWorkers(1));
            var (declaredDead, dropped) = (await deadAt - killed, await droppedAt - killed);
            // Nothing here polls the sweep until it has ended: it must recover by itself.
            var completed = await cluster.Coordinator.WaitForLine(l => l.Contains($"sweep {id} Completed"), TimeSpan.FromMinutes(2), after: killed);
            var progress = await cluster.WaitUntilFinished(id);
            var restored = cluster.Coordinator.Lines.Any(l => l.At > killed && l.Line.Contains($"sweep {id} restored"));

            FaultMatrix.Record(output, "worker SIGKILLed while computing", progress, 2 * images, dropped.TotalSeconds,
                $"declared dead {declaredDead.TotalSeconds:F1} s after the kill and out of the worker registry after {dropped.TotalSeconds:F1} s; {progress.Retries} of its items went out again");
            Assert.True(before.WorkItemsDone < before.WorkItemsTotal, "the worker was killed after the sweep had ended");
            // The killed worker's items go out again: counted as retries, or, where the coordinator was deactivated with the dead
            // silo's directory partition and restored itself from its log, sent afresh by the restored session.
            Assert.True(progress.Retries > 0 || restored, "nothing went out again: the killed worker held no work");
            Assert.Equal(SweepStatus.Completed, progress.Status);
            var logged = AssertEveryResultOnce(progress, trials: 2, images);
            var status = await cluster.Status(id);
            Assert.Equal(progress.Retries, status.GetProperty("Retries").GetInt32());
            Assert.Equal(progress.DuplicatesDropped, status.GetProperty("DuplicatesDropped").GetInt32());
            output.WriteLine($"worker killed (SIGKILL) at {before.WorkItemsDone} of {before.WorkItemsTotal} work items; " +
                $"declared dead in the membership table after {declaredDead.TotalSeconds:F1} s, out of the coordinator's worker registry after {dropped.TotalSeconds:F1} s; " +
                $"{progress.Retries} work items retried, " +
                $"{progress.DuplicatesDropped} duplicates dropped" + (restored ? " (the coordinator was deactivated with the dead silo's directory partition and restored itself from its log)" : "") +
                $"; sweep took {(completed.At - submitted).TotalSeconds:F1} s from submit to completion");

            LibraryAgreement.AssertLoggedEqualDirect(spec, logged);
            output.WriteLine($"{logged.Count} (trial, image) results equal the library's within 1e-5; test took {(DateTime.UtcNow - clock).TotalSeconds:F1} s");
        });
    }

    [Fact]
    public async Task A_range_of_a_folder_sweeps_exactly_those_images_on_silo_processes()
    {
        var root = GeneratedImageFolder.Create(130);
        await using var cluster = await RealProcessCluster.Start(output);
        await Scenario(cluster, async () =>
        {
            var id = await cluster.Submit(PhotoFolderSweepTests.Spec("folder-range", $"folder:{root}:0-99"), "folder-range");
            var progress = await cluster.WaitUntilFinished(id);

            Assert.Equal(SweepStatus.Completed, progress.Status);
            var logged = AssertEveryResultOnce(progress, trials: 2, images: 100);
            Assert.All(new[] { 0, 1 }, trial => Assert.Equal(Enumerable.Range(0, 100), logged.Where(l => l.Trial == trial).Select(l => l.Image.Key).Order()));
            output.WriteLine($"folder:{root}:0-99 gave {logged.Count} results, keys 0-99 once per trial, in {progress.ElapsedSeconds:F1} s");
        });
    }

    [Fact]
    public async Task A_coordinator_process_killed_and_started_again_mid_sweep_resumes_the_sweep_to_completion_from_parts_of_shards()
    {
        const int images = 128;
        var clock = DateTime.UtcNow;
        await using var cluster = await RealProcessCluster.Start(output);
        await Scenario(cluster, async () =>
        {
            // Items stop at a budget of a third of their cost, so the log the coordinator restores from holds parts of shards.
            var id = await cluster.Submit(Spec("coordinator-restarted", images, "item_seconds: 0.3"), "coordinator-restarted");
            var before = await cluster.WaitFor(id, p => p.WorkItemsDone >= 4);
            var killed = DateTime.UtcNow;
            cluster.Coordinator.Kill();
            var restarted = cluster.StartCoordinator("coordinator-restarted");
            var resumed = await restarted.WaitForLine(l => l.Contains($"sweep {id} resumed at"), TimeSpan.FromSeconds(60));
            var progress = await cluster.WaitUntilFinished(id);

            FaultMatrix.Record(output, "coordinator SIGKILLed during dispatch", progress, 2 * images, (resumed.At - killed).TotalSeconds,
                $"started again at once, it resumed from its log {(resumed.At - killed).TotalSeconds:F1} s after the kill");
            Assert.True(before.WorkItemsDone < before.WorkItemsTotal, "the coordinator was killed after the sweep had ended");
            Assert.Equal(SweepStatus.Completed, progress.Status);
            AssertEveryResultOnce(progress, trials: 2, images);
            var listing = (await cluster.Status()).EnumerateArray().Single(s => s.GetProperty("SweepId").GetString() == id);
            Assert.Equal("Completed", listing.GetProperty("Status").GetString());
            output.WriteLine($"coordinator killed (SIGKILL) at {before.WorkItemsDone} of {before.WorkItemsTotal} work items and started again at once; " +
                $"sweep resumed {(resumed.At - killed).TotalSeconds:F1} s after the kill ({resumed.Line.Trim()}); " +
                $"{progress.Retries} retried, {progress.DuplicatesDropped} duplicates dropped; test took {(DateTime.UtcNow - clock).TotalSeconds:F1} s");
        });
    }

    [Fact]
    public async Task Redis_killed_mid_sweep_and_started_again_after_the_sweep_ended_leaves_it_completed_and_listed_so()
    {
        const int images = 128;
        var clock = DateTime.UtcNow;
        await using var cluster = await RealProcessCluster.Start(output);
        await Scenario(cluster, async () =>
        {
            var id = await cluster.Submit(Spec("redis-restarted", images), "redis-restarted");
            var before = await cluster.WaitFor(id, p => p.WorkItemsDone >= 3);
            var killed = DateTime.UtcNow;
            cluster.Redis.Kill();
            // Running sweeps need Redis only to record their end: the sweep goes on and ends while it is away,
            // and Redis stays away until recording that end has failed (after the client's 5 s backlog timeout).
            var ended = await cluster.WaitUntilFinished(id);
            await cluster.Coordinator.WaitForLine(l => l.Contains("Failed to write grain state"), TimeSpan.FromSeconds(30), after: killed);
            var down = DateTime.UtcNow - killed;
            await cluster.Redis.StartAgain();
            var back = DateTime.UtcNow;
            Assert.Equal(SweepStatus.Completed, ended.Status);

            JsonElement listing = default;
            for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(500))
            {
                listing = (await cluster.Status()).EnumerateArray().Single(s => s.GetProperty("SweepId").GetString() == id);
                if (listing.GetProperty("Status").GetString() == "Completed") break;
            }
            Assert.Equal("Completed", listing.GetProperty("Status").GetString());
            var recorded = DateTime.UtcNow - back;
            FaultMatrix.Record(output, "Redis down at the end of a sweep", ended, 2 * images, recorded.TotalSeconds,
                $"down {down.TotalSeconds:F1} s while the sweep ended; its end was recorded and listed {recorded.TotalSeconds:F1} s after Redis was back");
            var status = await cluster.Status(id);
            Assert.Equal("Completed", status.GetProperty("Status").GetString());
            AssertEveryResultOnce(ended, trials: 2, images);
            output.WriteLine($"redis killed (SIGKILL) at {before.WorkItemsDone} of {before.WorkItemsTotal} work items, down {down.TotalSeconds:F1} s, " +
                $"the sweep completed meanwhile; listed completed {recorded.TotalSeconds:F1} s after Redis was back (saliency status --json); " +
                $"{ended.Retries} retried, {ended.DuplicatesDropped} duplicates dropped; test took {(DateTime.UtcNow - clock).TotalSeconds:F1} s");
        });
    }

    [Fact]
    public async Task A_watch_client_killed_and_started_again_shows_the_true_progress_and_follows_to_the_end()
    {
        const int images = 192;
        var clock = DateTime.UtcNow;
        await using var cluster = await RealProcessCluster.Start(output);
        await Scenario(cluster, async () =>
        {
            var id = await cluster.Submit(Spec("watched", images), "watched");
            var first = cluster.Cli("watch", "watch", id);
            await first.WaitForLine(l => Headline(l, id) is not null, TimeSpan.FromSeconds(60));
            await cluster.WaitFor(id, p => p.WorkItemsDone >= 3);
            first.Kill();

            var doneBefore = (await cluster.Status(id)).GetProperty("WorkItemsDone").GetInt32();
            var second = cluster.Cli("watch-again", "watch", id);
            var reattached = Headline((await second.WaitForLine(l => Headline(l, id) is not null, TimeSpan.FromSeconds(60))).Line, id)!.Value;
            var doneAfter = (await cluster.Status(id)).GetProperty("WorkItemsDone").GetInt32();
            Assert.InRange(reattached.Done, Math.Max(doneBefore, 1), doneAfter);

            Assert.Equal(0, await second.Exit(TimeSpan.FromMinutes(2)));
            var reattachedIn = second.Lines.First(l => Headline(l.Line, id) is not null).At - second.Started;
            FaultMatrix.Record(output, "client (watch) SIGKILLed and started again", await cluster.WaitUntilFinished(id), 2 * images, reattachedIn.TotalSeconds,
                $"the new watch showed the true count {reattachedIn.TotalSeconds:F1} s after it started and followed to the end");
            var last = second.Lines.Select(l => Headline(l.Line, id)).Last(h => h is not null)!.Value;
            Assert.Equal("completed", last.Status);
            Assert.Equal(24, last.Total);
            Assert.Equal(24, last.Done);
            var status = await cluster.Status(id);
            Assert.Equal("Completed", status.GetProperty("Status").GetString());
            Assert.Equal(24, status.GetProperty("WorkItemsDone").GetInt32());
            output.WriteLine($"watch killed and started again: status said {doneBefore} done just before it attached, watch showed {reattached.Done}, " +
                $"status {doneAfter} just after; watch followed to '{last.Status} {last.Done}/{last.Total}' and exited 0; test took {(DateTime.UtcNow - clock).TotalSeconds:F1} s");
        });
    }

    /// <summary>Runs a test's steps; on failure, shows every process's last output before the failure goes on.</summary>
    internal static async Task Scenario(RealProcessCluster cluster, Func<Task> steps)
    {
        try { await steps(); }
        catch
        {
            cluster.WriteLogs();
            throw;
        }
    }

    /// <summary>The status and counts of a headline that <c>saliency watch</c> prints, or null for another line.</summary>
    static (string Status, int Done, int Total)? Headline(string line, string sweepId)
    {
        var match = HeadlinePattern().Match(line);
        if (!match.Success || !line.Contains($"({sweepId})", StringComparison.Ordinal)) return null;
        return (match.Groups[1].Value, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"· (\w+) · (\d+)/(\d+) work items")]
    private static partial Regex HeadlinePattern();

    internal static List<(int Trial, ImageOutcome Image)> AssertEveryResultOnce(SweepProgress progress, int trials, int images)
    {
        var logged = ResultLog.Read(ResultLog.PathIn(progress.RunDirectory)).SelectMany(o => o.Images.Select(i => (o.Trial, i))).ToList();
        Assert.Equal(trials * images, logged.Count);
        Assert.Equal(logged.Count, logged.Select(l => (l.Trial, l.i.Key)).Distinct().Count());

        var rows = File.ReadLines(Path.Combine(progress.RunDirectory, ImageTable.CsvFileName)).Skip(1)
            .Select(line => line.Split(',')).Select(cells => (Trial: int.Parse(cells[0], CultureInfo.InvariantCulture), Key: int.Parse(cells[3], CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(trials * images, rows.Count);
        Assert.Equal(rows.Count, rows.Distinct().Count());
        return logged;
    }
}
