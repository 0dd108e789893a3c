using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Saliency.Attribution.Results;
using Saliency.Grains.Contracts;
using Xunit.Abstractions;
using static Saliency.Cluster.Tests.RealProcessClusterTests;

namespace Saliency.Cluster.Tests;

/// <summary>
/// The fault matrix's rows that <see cref="RealProcessClusterTests"/> does not already hold: each does one
/// fault to real processes (redis-server, a coordinator silo, two worker silos, client commands) at one
/// moment of a sweep, then asks of the result log that every (trial, image) result is there exactly once,
/// and records what it measured with <see cref="FaultMatrix"/>.
/// </summary>
public sealed partial class FaultMatrixTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_worker_killed_with_its_reports_in_flight_loses_nothing()
    {
        const int images = 128;
        await using var cluster = await RealProcessCluster.Start(output);
        await Scenario(cluster, async () =>
        {
            var id = await cluster.Submit(Spec("worker-killed-reporting", images), "worker-killed-reporting");
            await cluster.WaitFor(id, p => p.WorkItemsDone >= 2);
            // The coordinator stalls, so each worker finishes the items it holds (about a second each) and its reports wait
            // unanswered; one worker then dies with them in flight, and the coordinator goes on to read what reached its socket.
            var paused = DateTime.UtcNow;
            cluster.Coordinator.Pause();
            // The worker to be killed holds work: it has computed an item whose report cannot reach the stalled coordinator.
            await cluster.Workers[1].WaitForLine(l => l.Contains("computed trial", StringComparison.Ordinal), TimeSpan.FromSeconds(60), after: paused);
            var killed = DateTime.UtcNow;
            cluster.Workers[1].Kill();
            cluster.Coordinator.Continue();
            var dropped = await cluster.WaitForLiveWorkers(1) - killed;
            var progress = await cluster.WaitUntilFinished(id);

            var row = FaultMatrix.Record(output, "worker SIGKILLed while reporting", progress, 2 * images, dropped.TotalSeconds,
                $"out of the worker registry {dropped.TotalSeconds:F1} s after the kill; {progress.Retries} of its items went out again, the rest had reached the coordinator");
            Assert.Equal(SweepStatus.Completed, progress.Status);
            AssertEveryResultOnce(progress, trials: 2, images);
            Assert.Equal(0, row.Lost);
        });
    }

    [Fact]
    public async Task A_coordinator_killed_during_a_submission_leaves_a_sweep_that_resumes_or_a_name_free_to_submit_again()
    {
        const int images = 96;
        const string name = "coordinator-killed-submitting";
        await using var cluster = await RealProcessCluster.Start(output);
        await Scenario(cluster, async () =>
        {
            var spec = Spec(name, images);
            var file = Path.Combine(cluster.Root, name + ".yaml");
            await File.WriteAllTextAsync(file, spec);
            var submit = cluster.Cli("submit", "submit", file);
            // The run directory's spec is written in the middle of the coordinator's start: after the listing, before its own state.
            var runDirectory = await Poll(() => Directory.Exists(cluster.Runs)
                ? Directory.EnumerateDirectories(cluster.Runs, name + "-*").FirstOrDefault(d => File.Exists(Path.Combine(d, "spec.yaml")))
                : null, TimeSpan.FromSeconds(60));
            cluster.Coordinator.Kill();
            var killed = DateTime.UtcNow;
            var id = Path.GetFileName(runDirectory);
            // Started again at once, as a service manager would.
            var restarted = cluster.StartCoordinator("coordinator-restarted");

            var woken = await restarted.WaitForLine(l => l.Contains($"sweep {id} resumed at") || l.Contains($"sweep {id} was listed but never started"),
                TimeSpan.FromSeconds(90));
            string how;
            if (woken.Line.Contains("resumed at")) how = "it had kept its state and resumed by itself";
            else
            {
                id = await cluster.Submit(spec, name);
                how = "it had not kept its state: listed as failed, and the same name submitted again at once";
            }
            var back = DateTime.UtcNow - killed;
            var progress = await cluster.WaitUntilFinished(id);
            // The first submit's call died with the coordinator: it ends with an error, at the latest at the call timeout.
            var submitExit = await submit.Exit(TimeSpan.FromSeconds(90));
            output.WriteLine($"submit, whose coordinator was killed, exited {submitExit}:\n{submit.Tail(30)}");
            var submitSaid = submit.Lines.Select(l => l.Line).LastOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal));

            var row = FaultMatrix.Record(output, "coordinator SIGKILLed during submission", progress, 2 * images, back.TotalSeconds,
                $"{how}, {back.TotalSeconds:F1} s after the kill; the first submit exited {submitExit}{(submitSaid is null ? "" : $" ({Brief(submitSaid)})")}");
            Assert.True(submitExit == 0 || submitSaid is not null, $"submit exited {submitExit} without an error line:\n{submit.Tail(10)}");
            Assert.Equal(SweepStatus.Completed, progress.Status);
            AssertEveryResultOnce(progress, trials: 2, images);
            Assert.Equal(0, row.Lost);
            var running = (await cluster.Status()).EnumerateArray().Where(s => s.GetProperty("Status").GetString() == "Running").ToList();
            Assert.Empty(running);
        });
    }

    [Fact]
    public async Task A_coordinator_killed_while_writing_the_results_writes_them_whole_when_it_is_back()
    {
        const int images = 128;
        await using var cluster = await RealProcessCluster.Start(output);
        await Scenario(cluster, async () =>
        {
            var id = await cluster.Submit(Spec("coordinator-killed-writing", images), "coordinator-killed-writing");
            var run = (await cluster.WaitFor(id, p => p.WorkItemsDone >= 1)).RunDirectory;
            // images.csv is the first result file written once every item is in.
            await Poll(() => File.Exists(Path.Combine(run, ImageTable.CsvFileName)) ? run : null, TimeSpan.FromMinutes(2));
            cluster.Coordinator.Kill();
            var killed = DateTime.UtcNow;
            var writtenAtKill = Directory.EnumerateFiles(run).Count();
            var restarted = cluster.StartCoordinator("coordinator-restarted");
            var completed = await restarted.WaitForLine(l => l.Contains($"sweep {id} Completed"), TimeSpan.FromSeconds(90));
            var progress = await cluster.WaitUntilFinished(id);
            var back = completed.At - killed;

            var row = FaultMatrix.Record(output, "coordinator SIGKILLed during the final write", progress, 2 * images, back.TotalSeconds,
                $"killed with {writtenAtKill} files in the run directory; restarted at once, it wrote the results again and recorded completion {back.TotalSeconds:F1} s after the kill");
            Assert.Equal(SweepStatus.Completed, progress.Status);
            AssertEveryResultOnce(progress, trials: 2, images);
            Assert.Equal(0, row.Lost);
            Assert.True(File.Exists(Path.Combine(run, HtmlReport.FileName)), "the report was not written after the restart");
            Assert.Equal(1 + 2, File.ReadLines(Path.Combine(run, SummaryTable.FileName)).Count());
        });
    }

    [Fact]
    public async Task A_submission_while_Redis_is_down_fails_with_a_clear_error_and_the_same_one_succeeds_once_it_is_back()
    {
        const int images = 64;
        const string name = "redis-down-submitting";
        await using var cluster = await RealProcessCluster.Start(output);
        await Scenario(cluster, async () =>
        {
            var spec = Spec(name, images);
            var file = Path.Combine(cluster.Root, name + ".yaml");
            await File.WriteAllTextAsync(file, spec);
            cluster.Redis.Kill();
            var down = DateTime.UtcNow;
            var refused = cluster.Cli("submit-refused", "submit", file);
            var exit = await refused.Exit(TimeSpan.FromSeconds(120));
            var refusedAfter = DateTime.UtcNow - down;
            var message = refused.Lines.Select(l => l.Line).LastOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal)) ?? refused.Tail(1);
            await cluster.Redis.StartAgain();
            var back = DateTime.UtcNow;

            string? id = null;
            for (var deadline = DateTime.UtcNow.AddSeconds(60); id is null; await Task.Delay(1000))
            {
                try { id = await cluster.Submit(spec, name); }
                catch (InvalidOperationException) when (DateTime.UtcNow < deadline) { }
            }
            var accepted = DateTime.UtcNow - back;
            var progress = await cluster.WaitUntilFinished(id);

            var row = FaultMatrix.Record(output, "Redis down at submission", progress, 2 * images, accepted.TotalSeconds,
                $"submit exited {exit} after {refusedAfter.TotalSeconds:F1} s ({Brief(message)}); the same submit was accepted {accepted.TotalSeconds:F1} s after Redis was back");
            Assert.NotEqual(0, exit);
            Assert.StartsWith("error: no Saliency cluster answers at", message);
            Assert.Equal(SweepStatus.Completed, progress.Status);
            AssertEveryResultOnce(progress, trials: 2, images);
            Assert.Equal(0, row.Lost);
            Assert.DoesNotContain((await cluster.Status()).EnumerateArray(), s => s.GetProperty("Name").GetString() == name && s.GetProperty("SweepId").GetString() != id);
        });
    }

    [Fact]
    public async Task Redis_down_for_seconds_mid_sweep_does_not_stop_the_sweep()
    {
        const int images = 192;
        await using var cluster = await RealProcessCluster.Start(output);
        await Scenario(cluster, async () =>
        {
            var id = await cluster.Submit(Spec("redis-down-mid-sweep", images), "redis-down-mid-sweep");
            var before = await cluster.WaitFor(id, p => p.WorkItemsDone >= 3);
            cluster.Redis.Kill();
            var killed = DateTime.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(5));
            await cluster.Redis.StartAgain();
            var progress = await cluster.WaitUntilFinished(id);

            // The longest time without a new result from the outage on: what the outage cost the sweep.
            var landed = ResultLog.ReadEntries(ResultLog.PathIn(progress.RunDirectory)).Select(e => e.LoggedAt.UtcDateTime).Where(t => t >= killed).Order().ToList();
            var stall = landed.Zip(landed.Skip(1), (a, b) => b - a).Prepend(landed.FirstOrDefault(killed) - killed).Max();
            var row = FaultMatrix.Record(output, "Redis down 5 s mid-sweep", progress, 2 * images, stall.TotalSeconds,
                $"killed at {before.WorkItemsDone} of {before.WorkItemsTotal} items and started again 5 s later; the longest wait for a result from the kill on was {stall.TotalSeconds:F1} s");
            Assert.Equal(SweepStatus.Completed, progress.Status);
            AssertEveryResultOnce(progress, trials: 2, images);
            Assert.Equal(0, row.Lost);
        });
    }

    [Fact]
    public async Task A_full_disk_stops_the_sweep_cleanly_and_a_resume_finishes_it_once_there_is_room()
    {
        const int images = 192;
        var disk = Path.Combine(Path.GetTempPath(), "saliency-disk-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(disk);
        Run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk);
        try
        {
            await using var cluster = await RealProcessCluster.Start(output, "--Saliency:ArtifactRoot", disk);
            await Scenario(cluster, async () =>
            {
                var id = await cluster.Submit(Spec("disk-full", images), "disk-full");
                var before = await cluster.WaitFor(id, p => p.WorkItemsDone >= 3);
                var filler = Path.Combine(disk, "filler");
                FillUp(filler);
                var filled = DateTime.UtcNow;
                var stopped = await cluster.WaitFor(id, p => p.Status == SweepStatus.Stopped, TimeSpan.FromSeconds(60));
                var stoppedAfter = DateTime.UtcNow - filled;
                // Every line the log holds reads back: a write cut short by the full disk was taken off again.
                var kept = FaultRow.Count(stopped.RunDirectory);
                AssertWhole(ResultLog.PathIn(stopped.RunDirectory));

                File.Delete(filler);
                var room = DateTime.UtcNow;
                await cluster.RunCli("resume", "submit", "--resume", id);
                var progress = await cluster.WaitUntilFinished(id);
                var finished = DateTime.UtcNow - room;

                var row = FaultMatrix.Record(output, "run directory's disk full", progress, 2 * images, finished.TotalSeconds,
                    $"filled at {before.WorkItemsDone} of {before.WorkItemsTotal} items; stopped {stoppedAfter.TotalSeconds:F1} s later with {kept.Distinct} results kept; " +
                    $"once there was room, submit --resume finished it in {finished.TotalSeconds:F1} s");
                Assert.Contains("cannot be written", stopped.Message);
                Assert.Equal(kept.Distinct, kept.Lines);
                Assert.Equal(SweepStatus.Completed, progress.Status);
                Assert.Null(progress.Message);
                AssertEveryResultOnce(progress, trials: 2, images);
                Assert.Equal(0, row.Lost);
            });
        }
        finally
        {
            Run("umount", "-l", disk);
            Directory.Delete(disk);
        }
    }

    [Fact]
    public async Task A_worker_too_slow_for_the_work_item_timeout_has_its_items_done_elsewhere_each_once()
    {
        const int images = 128;
        await using var cluster = await RealProcessCluster.Start(output, "--Saliency:WorkItemTimeout", "00:00:05");
        await Scenario(cluster, async () =>
        {
            var slow = cluster.Workers[1];
            using var stop = new CancellationTokenSource();
            // Running a tenth of the time, as a machine starved of CPU would: it still answers the cluster's probes, only late.
            var throttle = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    slow.Pause();
                    await Task.Delay(900);
                    slow.Continue();
                    await Task.Delay(100);
                }
            });
            var submitted = DateTime.UtcNow;
            var id = await cluster.Submit(Spec("slow-worker", images), "slow-worker");
            SweepProgress progress;
            try { progress = await cluster.WaitUntilFinished(id); }
            finally
            {
                stop.Cancel();
                await throttle;
                slow.Continue();
            }

            // From the first item the coordinator gave up waiting for to the result of its retry.
            var timedOut = cluster.Coordinator.Lines.Select(l => (l.At, Match: TimeoutLine().Match(l.Line))).FirstOrDefault(l => l.Match.Success);
            var retried = timedOut.Match is { Success: true } match
                ? ResultLog.ReadEntries(ResultLog.PathIn(progress.RunDirectory)).FirstOrDefault(e =>
                    e.Outcome.Trial == int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
                    && e.Outcome.Shard == int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) && e.LoggedAt.UtcDateTime > timedOut.At)
                : null;
            var recovery = retried is null ? double.NaN : (retried.LoggedAt.UtcDateTime - timedOut.At).TotalSeconds;
            var row = FaultMatrix.Record(output, "a worker slower than WorkItemTimeout (5 s)", progress, 2 * images, recovery,
                $"the worker ran a tenth of the time; {progress.Retries} items outlived the timeout and went out again, each to the other worker; " +
                $"the first retry's result landed {recovery:F1} s after its timeout; the sweep took {(DateTime.UtcNow - submitted).TotalSeconds:F1} s");
            Assert.Equal(SweepStatus.Completed, progress.Status);
            Assert.True(timedOut.Match is { Success: true }, "no item outlived the timeout on the slow worker");
            Assert.Equal(0, progress.WorkItemsFailed);
            AssertEveryResultOnce(progress, trials: 2, images);
            Assert.Equal(0, row.Lost);
        });
    }

    /// <summary>An error line as far as its first parenthesis: the console wraps the rest onto lines of its own.</summary>
    static string Brief(string line) => (line.IndexOf(" (", StringComparison.Ordinal) is > 0 and var cut ? line[..cut] : line).Trim();

    /// <summary>Fills the file system that holds <paramref name="path"/> until a write fails for want of space.</summary>
    static void FillUp(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[64 << 10];
        try
        {
            while (true) file.Write(block);
        }
        catch (IOException) { }
    }

    /// <summary>Polls every millisecond or so until <paramref name="find"/> gives a value.</summary>
    static async Task<string> Poll(Func<string?> find, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (find() is { } found) return found;
            await Task.Delay(1);
        }
        throw new TimeoutException($"waited {limit.TotalSeconds:F0} s in vain");
    }

    static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Trim()} " +
                "(the disk-full fault mounts a small tmpfs, which needs root, as the test command's package installs do)");
    }

    [GeneratedRegex(@"trial (\d+) shard (\d+): no result within")]
    private static partial Regex TimeoutLine();

    /// <summary>Every line of the log parses on its own and the file ends with a newline: no torn line was left for a reader to skip.</summary>
    static void AssertWhole(string log)
    {
        var bytes = File.ReadAllBytes(log);
        Assert.True(bytes.Length == 0 || bytes[^1] == (byte)'\n', $"{log} ends inside a line");
        var lines = System.Text.Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => System.Text.Json.JsonDocument.Parse(line).Dispose());
    }
}
