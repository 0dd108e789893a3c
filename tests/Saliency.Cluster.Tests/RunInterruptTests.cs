using System.Diagnostics;
using Saliency.Attribution.Results;

namespace Saliency.Cluster.Tests;

/// <summary>Ctrl-C of <c>saliency run</c> in a real process: the first drains the work in flight, the second leaves at once.</summary>
public sealed class RunInterruptTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "saliency-interrupt-" + Guid.NewGuid().ToString("N")[..8]);

    public RunInterruptTests() => Directory.CreateDirectory(root);

    [Fact]
    public async Task A_second_ctrl_c_leaves_within_seconds_while_a_long_work_item_computes_and_names_the_resume_command()
    {
        // One work item of a hundred images, each optimised by I-GOS for 200 iterations: minutes of work on two cores.
        var spec = Path.Combine(root, "long-item.yaml");
        File.WriteAllText(spec, """
            name: long-item
            model: fashion-cnn
            data: fashion-mnist:test:0-99
            methods:
              igos: { iterations: 200 }
            metrics: [deletion]
            shard: 100
            maps: 0
            """);
        // A shell without job control starts its background commands with SIGINT ignored, and a child inherits that: env
        // restores the default, so the test asks of the program what a terminal's Ctrl-C would, however the suite was started.
        using var run = ChildProcess.Start("run", "/usr/bin/env",
            ["--default-signal=INT", Binaries.Cli, "run", spec, "--runs", Path.Combine(root, "runs"), "--threads", "1"], root);
        await run.WaitForLine(line => line.Contains("· running ·", StringComparison.Ordinal), TimeSpan.FromSeconds(120));

        Interrupt(run);
        await run.WaitForLine(line => line.Contains("Ctrl-C again to leave", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Interrupt(run);
        var clock = Stopwatch.StartNew();
        var code = await run.Exit(TimeSpan.FromSeconds(15));

        Assert.Equal(130, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"left {clock.Elapsed.TotalSeconds:F1} s after the second Ctrl-C");
        var runDirectory = Directory.GetDirectories(Path.Combine(root, "runs"), "long-item-*").Single();
        // The console wraps long lines at spaces when it writes to a pipe.
        var output = string.Join(' ', run.Lines.Select(l => l.Line.Trim()));
        Assert.Contains($"saliency run --resume {runDirectory}", output);
        // The item was still computing, so nothing was logged for it, and --resume starts it again.
        Assert.Empty(ResultLog.Read(ResultLog.PathIn(runDirectory)));
    }

    /// <summary>SIGINT, as Ctrl-C in a terminal sends it.</summary>
    static void Interrupt(ChildProcess process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
