using Saliency.Attribution.Results;
using Saliency.Grains.Contracts;
using Xunit.Abstractions;

namespace Saliency.Cluster.Tests;

/// <summary>
/// A halving sweep on real processes through real faults: a worker killed with SIGKILL and the coordinator killed and
/// started again after the schedule has stopped trials. Its decisions must survive both: a stopped trial stays stopped
/// at the same rung for the same reason, and its stopped work is never computed.
/// </summary>
public sealed class RealProcessHalvingTests(ITestOutputHelper output)
{
    // 3 trials × 24 shards of 16 over 384 images; rungs of 2, 6 and 18 shards (32, 96 and 288 images), then all 384.
    const int Images = 384;
    static readonly string Spec = $$"""
        name: halving-faults
        model: fashion-cnn
        data: fashion-mnist:test:0-{{Images - 1}}
        methods:
          ig: { baseline: [black, blur:2], steps: [16] }
          random: {}
        metrics: [deletion, insertion, completeness]
        shard: 16
        seed: 3
        maps: 0
        schedule: { kind: halving, min_images: 32, reduction: 3 }
        """;

    [Fact]
    public async Task Stopped_trials_stay_stopped_with_their_evidence_through_a_killed_worker_and_a_restarted_coordinator()
    {
        var clock = DateTime.UtcNow;
        await using var cluster = await RealProcessCluster.Start(output);
        await RealProcessClusterTests.Scenario(cluster, async () =>
        {
            var id = await cluster.Submit(Spec, "halving-faults");
            var before = await cluster.WaitFor(id, p => p.Trials.Any(t => t.Stopped is not null), TimeSpan.FromMinutes(2));
            Assert.False(before.Finished, "the sweep ended before a fault could be made");
            cluster.Workers[1].Kill();
            cluster.Coordinator.Kill();
            var killed = DateTime.UtcNow;
            var restarted = cluster.StartCoordinator("halving-restarted");
            await restarted.WaitForLine(l => l.Contains($"sweep {id} restored") && l.Contains("stopped by its schedule"), TimeSpan.FromSeconds(60));
            var progress = await cluster.WaitUntilFinished(id);

            Assert.Equal(SweepStatus.Completed, progress.Status);
            foreach (var stopped in before.Trials.Where(t => t.Stopped is not null))
            {
                var after = progress.Trials[stopped.Trial];
                Assert.Equal((stopped.Stopped, stopped.Rung), (after.Stopped, after.Rung));
            }
            // Every image once per trial: all of them for a trial that went the whole way, its rung's for one that stopped.
            var logged = ResultLog.Read(ResultLog.PathIn(progress.RunDirectory)).Where(o => o.PartIndex == 0)
                .SelectMany(o => o.Images.Select(i => (o.Trial, i.Key))).ToList();
            Assert.Equal(logged.Count, logged.Distinct().Count());
            var stoppedTrials = progress.Trials.Where(t => t.Stopped is not null).ToList();
            Assert.NotEmpty(stoppedTrials);
            Assert.Contains(progress.Trials, t => t.Stopped is null && logged.Count(l => l.Trial == t.Trial) == Images);
            Assert.All(stoppedTrials, t => Assert.True(logged.Count(l => l.Trial == t.Trial) < Images));
            Assert.Equal(progress.WorkItemsTotal, progress.WorkItemsDone + progress.WorkItemsFailed + progress.WorkItemsStopped);

            // status --json shows each trial's state, and the report's schedule lists the stops with their evidence.
            var status = await cluster.Status(id);
            var trials = status.GetProperty("Trials").EnumerateArray().ToList();
            Assert.Equal(stoppedTrials.Count, trials.Count(t => t.GetProperty("State").GetString()!.StartsWith("stopped at rung", StringComparison.Ordinal)));
            var schedule = File.ReadAllLines(Path.Combine(progress.RunDirectory, ScheduleTable.FileName));
            Assert.All(stoppedTrials, t => Assert.Contains(schedule, row => row.StartsWith($"{t.Trial},", StringComparison.Ordinal) && row.Contains(",stopped,")));
            output.WriteLine($"after {before.Trials.Count(t => t.Stopped is not null)} stop(s), a worker and the coordinator were killed (SIGKILL) at {before.WorkItemsDone} of " +
                $"{before.WorkItemsTotal} work items; the restarted coordinator kept every decision; {string.Join("; ", stoppedTrials.Select(t => $"{t.Label}: {t.Stopped}"))}; " +
                $"{logged.Count} (trial, image) results against {3 * Images} for the grid; test took {(DateTime.UtcNow - clock).TotalSeconds:F1} s");
        });
    }
}
