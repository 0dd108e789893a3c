using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Saliency.Attribution.Results;
using Saliency.Cli;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;

namespace Saliency.Cluster.Tests;

/// <summary>The <c>saliency run</c> command: the embedded silo in the command's own process.</summary>
public sealed class EmbeddedRunTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "saliency-embedded-" + Guid.NewGuid().ToString("N")[..8]);

    public EmbeddedRunTests() => Directory.CreateDirectory(root);

    [Fact]
    public void Run_writes_the_summary_tables_plots_and_report_of_a_sweep()
    {
        var spec = WriteSpec("cli-run.yaml", Specs.Small("cli-run"));
        Assert.Equal(0, SaliencyApp.Run(["run", spec, "--runs", Path.Combine(root, "runs"), "--threads", "2"]));

        var runDirectory = Directory.GetDirectories(Path.Combine(root, "runs"), "cli-run-*").Single();
        foreach (var file in new[] { "summary.csv", "images.csv", "images.parquet", "report.html", "comparison.png", "plots/best_trials.png" })
            Assert.True(File.Exists(Path.Combine(runDirectory, file)), $"{file} is missing");
        Assert.Equal(3 + 1, File.ReadAllLines(Path.Combine(runDirectory, "summary.csv")).Length);
    }

    [Fact]
    public void Run_sweeps_exactly_the_range_of_a_folder_it_is_given()
    {
        var folder = GeneratedImageFolder.Create(130);
        var spec = WriteSpec("folder-range.yaml", PhotoFolderSweepTests.Spec("folder-range", $"folder:{folder}:0-99"));
        Assert.Equal(0, SaliencyApp.Run(["run", spec, "--runs", Path.Combine(root, "runs"), "--threads", "2"]));

        var runDirectory = Directory.GetDirectories(Path.Combine(root, "runs"), "folder-range-*").Single();
        var keys = ResultLog.Read(ResultLog.PathIn(runDirectory)).Where(o => o.Trial == 0).SelectMany(o => o.Images).Select(i => i.Key).Order();
        Assert.Equal(Enumerable.Range(0, 100), keys);
    }

    [Fact]
    public void Run_refuses_a_malformed_spec_before_starting_anything()
    {
        var spec = WriteSpec("broken.yaml", Specs.Small("broken").Replace("gradcam: {}", "gradcamm: {}"));
        Assert.Equal(2, SaliencyApp.Run(["run", spec, "--runs", Path.Combine(root, "runs")]));
        Assert.False(Directory.Exists(Path.Combine(root, "runs")));
    }

    [Fact]
    public async Task Run_refuses_a_missing_model_file_at_submission_naming_it_before_any_work_item()
    {
        var missing = Path.Combine(root, "no-such-model.pt");
        var spec = WriteSpec("missing-model.yaml", Specs.Small("missing-model").Replace("model: fashion-cnn", $"model: {missing}"));
        using var run = ChildProcess.Start("run", Binaries.Cli, ["run", spec, "--runs", Path.Combine(root, "runs"), "--threads", "1"], root);

        var code = await run.Exit(TimeSpan.FromSeconds(120));

        Assert.NotEqual(0, code);
        // The console wraps long lines at spaces when it writes to a pipe.
        Assert.Contains($"model file not found: {missing}", string.Join(' ', run.Lines.Select(l => l.Line.Trim())));
        // Refused before the coordinator made a run directory, so no work item was sent.
        Assert.Empty(Directory.Exists(Path.Combine(root, "runs")) ? Directory.GetDirectories(Path.Combine(root, "runs"), "missing-model-*") : []);
    }

    [Fact]
    public async Task Run_resume_finishes_a_stopped_run_without_recomputing_finished_work()
    {
        var runs = Path.Combine(root, "runs");
        string runDirectory;
        int doneBeforeStop;
        using (var host = SaliencyHosting.BuildSilo([], o => { o.ArtifactRoot = runs; o.TorchThreads = 2; }, ClusterEndpoints.OnFreePorts(), LogLevel.Error))
        {
            await host.StartAsync();
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var ticket = await grains.GetGrain<ISweepDirectoryGrain>(0).Submit(new SweepSubmission(Specs.Longer("resumed"), "resumed.yaml"));
            var sweep = grains.GetGrain<ISweepCoordinatorGrain>(ticket.SweepId);
            while ((await sweep.GetProgress()).WorkItemsDone < 4) await Task.Delay(100);
            var progress = await sweep.Stop();
            while (progress.WorkItemsInFlight > 0) { await Task.Delay(100); progress = await sweep.GetProgress(); }
            (runDirectory, doneBeforeStop) = (ticket.RunDirectory, progress.WorkItemsDone);
            await host.StopAsync();
        }
        Assert.True(doneBeforeStop < 48);
        Assert.InRange(ResultLog.Read(ResultLog.PathIn(runDirectory)).Count(), 4, 47);

        Assert.Equal(0, SaliencyApp.Run(["run", "--resume", runDirectory, "--threads", "2"]));

        var outcomes = ResultLog.Read(ResultLog.PathIn(runDirectory)).ToList();
        Assert.Equal(48, outcomes.Count);
        Assert.Equal(48, outcomes.Select(o => (o.Trial, o.Shard)).Distinct().Count());
        Assert.True(File.Exists(Path.Combine(runDirectory, "summary.csv")));
    }

    [Fact]
    public void Resume_of_a_folder_that_is_not_a_run_directory_names_it()
    {
        Assert.Equal(2, SaliencyApp.Run(["run", "--resume", root]));
    }

    string WriteSpec(string name, string text)
    {
        var path = Path.Combine(root, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
