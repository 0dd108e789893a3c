using Saliency.Attribution.Data;
using Saliency.Attribution.Sweeps;
using Saliency.Grains.Contracts;

namespace Saliency.Cluster.Tests;

public sealed class ClusterSweepTests
{
    [Fact]
    public async Task A_sweep_on_two_workers_gives_the_same_per_image_results_as_the_library()
    {
        await using var cluster = await SweepCluster.Start();
        var spec = Specs.Small("equal-to-library");
        var ticket = await cluster.Submit(spec);
        var progress = await cluster.WaitUntilFinished(ticket.SweepId);
        Assert.Equal(SweepStatus.Completed, progress.Status);

        var parsed = SweepSpec.Parse(spec, "test.yaml");
        var images = ImageSelection.Parse(parsed.Data).Load();
        var logged = SweepCluster.Log(progress).SelectMany(o => o.Images.Select(image => (o.Trial, image))).ToList();
        Assert.Equal(parsed.Trials.Count * images.Count, logged.Count);
        LibraryAgreement.AssertLoggedEqualDirect(spec, logged);
    }

    [Fact]
    public async Task A_finished_sweep_writes_its_results_and_maps_into_the_run_directory()
    {
        await using var cluster = await SweepCluster.Start();
        var ticket = await cluster.Submit(Specs.Small("results-written"));
        var progress = await cluster.WaitUntilFinished(ticket.SweepId);

        foreach (var file in new[] { "spec.yaml", "sweep.json", "results.jsonl", "summary.csv", "images.csv", "images.parquet", "report.html" })
            Assert.True(File.Exists(Path.Combine(progress.RunDirectory, file)), $"{file} is missing");
        Assert.Equal(3 * 2, Directory.GetFiles(Path.Combine(progress.RunDirectory, "maps"), "*.npy", SearchOption.AllDirectories).Length);
        var files = await cluster.Sweep(ticket.SweepId).ListResultFiles();
        Assert.Contains(files, f => f.Path == "summary.csv" && f.Length > 0);
    }

    [Fact]
    public async Task Killing_a_worker_mid_sweep_still_gives_every_result_exactly_once()
    {
        await using var cluster = await SweepCluster.Start();
        var ticket = await cluster.Submit(Specs.Longer("worker-killed"));
        await cluster.WaitFor(ticket.SweepId, p => p.WorkItemsDone >= 6);
        await cluster.Cluster.KillSiloAsync(cluster.Silo("Silo_2"));

        var progress = await cluster.WaitUntilFinished(ticket.SweepId);
        Assert.Equal(SweepStatus.Completed, progress.Status);
        AssertEveryResultOnce(progress, trials: 2, images: 192);
    }

    [Fact]
    public async Task Restarting_the_coordinator_silo_mid_sweep_resumes_from_durable_state()
    {
        await using var cluster = await SweepCluster.Start();
        var ticket = await cluster.Submit(Specs.Longer("coordinator-restarted"));
        await cluster.WaitFor(ticket.SweepId, p => p.WorkItemsDone >= 6);
        await cluster.Cluster.KillSiloAsync(cluster.Silo("Silo_0"));
        await cluster.Cluster.StartAdditionalSiloAsync();

        var progress = await cluster.WaitUntilFinished(ticket.SweepId);
        Assert.Equal(SweepStatus.Completed, progress.Status);
        AssertEveryResultOnce(progress, trials: 2, images: 192);
    }

    [Fact]
    public async Task A_stopped_sweep_resumes_without_recomputing_finished_work()
    {
        await using var cluster = await SweepCluster.Start();
        var ticket = await cluster.Submit(Specs.Longer("stopped-resumed"));
        await cluster.WaitFor(ticket.SweepId, p => p.WorkItemsDone >= 4);
        await cluster.Sweep(ticket.SweepId).Stop();
        var stopped = await cluster.WaitFor(ticket.SweepId, p => p.WorkItemsInFlight == 0);
        Assert.Equal(SweepStatus.Stopped, stopped.Status);
        Assert.True(stopped.WorkItemsDone < stopped.WorkItemsTotal);

        await cluster.Sweep(ticket.SweepId).Resume();
        var progress = await cluster.WaitUntilFinished(ticket.SweepId);
        Assert.Equal(SweepStatus.Completed, progress.Status);
        Assert.Equal(0, progress.DuplicatesDropped);
        AssertEveryResultOnce(progress, trials: 2, images: 192);
    }

    [Fact]
    public async Task A_cancelled_sweep_stops_and_cannot_be_resumed()
    {
        await using var cluster = await SweepCluster.Start();
        var ticket = await cluster.Submit(Specs.Longer("cancelled"));
        await cluster.WaitFor(ticket.SweepId, p => p.WorkItemsDone >= 2);
        var cancelled = await cluster.Sweep(ticket.SweepId).Cancel();
        Assert.Equal(SweepStatus.Cancelled, cancelled.Status);
        await Task.Delay(1500);
        var later = await cluster.Sweep(ticket.SweepId).GetProgress();
        Assert.True(later.WorkItemsDone < later.WorkItemsTotal);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Sweep(ticket.SweepId).Resume());
        Assert.Contains("cancelled", error.Message);
    }

    [Fact]
    public async Task A_second_sweep_under_a_running_sweeps_name_is_refused()
    {
        await using var cluster = await SweepCluster.Start();
        var first = await cluster.Submit(Specs.Longer("same-name"));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Submit(Specs.Longer("same-name")));
        Assert.Contains("same-name", error.Message);
        Assert.Contains(first.SweepId, error.Message);
        await cluster.Sweep(first.SweepId).Cancel();
    }

    [Fact]
    public async Task An_invalid_spec_is_refused_with_its_field_and_nothing_runs()
    {
        await using var cluster = await SweepCluster.Start();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Submit(Specs.Small("bad").Replace("shard: 8", "shard: many")));
        Assert.Contains("shard", error.Message);
        Assert.Empty(await cluster.Client.GetGrain<ISweepDirectoryGrain>(0).List());
    }

    [Fact]
    public async Task Missing_data_is_refused_naming_the_selection()
    {
        await using var cluster = await SweepCluster.Start();
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            cluster.Submit(Specs.Small("no-data").Replace("fashion-mnist:test:0-23", "folder:/nonexistent/images")));
        Assert.Contains("/nonexistent/images", error.Message);
        // Its coordinator kept nothing and admits nothing: the listing goes with it.
        Assert.Empty(await cluster.Client.GetGrain<ISweepDirectoryGrain>(0).List());
    }

    [Fact]
    public async Task A_sweep_of_many_trials_of_the_cost_free_method_gives_every_result_once_and_keeps_its_state_small()
    {
        await using var cluster = await SweepCluster.Start();
        var ticket = await cluster.Submit(Saliency.Cli.Benchmarks.BenchSweep.Noop("machinery", trials: 40, images: 1000, shard: 64));
        var progress = await cluster.WaitFor(ticket.SweepId, p => p.Finished, TimeSpan.FromMinutes(2));

        Assert.Equal(SweepStatus.Completed, progress.Status);
        Assert.Equal(40 * 16, progress.WorkItemsTotal);
        AssertEveryResultOnce(progress, trials: 40, images: 1000);
        // The persisted state is the sweep's frame (spec, status, counters), not its progress: it does not grow with the results.
        var state = Directory.GetFiles(Path.Combine(cluster.Root, "state", "sweep"), "*.state").Single();
        Assert.True(new FileInfo(state).Length < 4096, $"coordinator state is {new FileInfo(state).Length} bytes");
    }

    static void AssertEveryResultOnce(SweepProgress progress, int trials, int images)
    {
        var keys = SweepCluster.Log(progress).SelectMany(o => o.Images.Select(i => (o.Trial, i.Key))).ToList();
        Assert.Equal(trials * images, keys.Count);
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }
}
