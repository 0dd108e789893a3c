using Saliency.Attribution.Sweeps.Engine;
using Saliency.Grains.Sweeps;

namespace Saliency.Grains.Tests;

/// <summary>The run directory's record of work items that failed for good: appended a line at a time, read back whole, and whole after a crash.</summary>
[Trait("Lane", "Unit")]
public sealed class FailureLogTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("failure-log-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    string LogPath => FailureLog.PathIn(directory);

    static readonly FailedWorkItem[] Failures =
    [
        new(1, 0, 3, "no result within 00:10:00 (after 3 attempts)"),
        new(0, 2, 1, "the model's score is NaN"),
        new(4, 7, 2, "worker 10.0.0.11:11111 left the cluster (after 2 attempts)", Part: 3),
    ];

    void Write(IEnumerable<FailedWorkItem> failures)
    {
        using var log = new FailureLog(directory);
        foreach (var failure in failures) log.Append(failure);
    }

    [Fact]
    public void Failures_read_back_as_they_were_appended_in_order()
    {
        Write(Failures);

        Assert.Equal(Failures, FailureLog.Read(LogPath));
        Assert.Equal(Failures.Length, File.ReadAllLines(LogPath).Length);
    }

    [Fact]
    public void A_line_names_its_part_only_for_a_model_randomisation_step()
    {
        Write(Failures);

        var lines = File.ReadAllLines(LogPath);
        Assert.DoesNotContain("\"part\"", lines[0]);
        Assert.Contains("\"part\":3", lines[2]);
        Assert.Contains("\"reason\":\"the model\\u0027s score is NaN\"", lines[1]);
    }

    [Fact]
    public void A_last_line_cut_short_by_a_crash_is_skipped_and_appending_again_drops_it()
    {
        Write(Failures.Take(2));
        File.AppendAllText(LogPath, "{\"failed_at\":\"2026-");

        Assert.Equal(Failures.Take(2), FailureLog.Read(LogPath));
        Write(Failures.Skip(2));
        Assert.Equal(Failures, FailureLog.Read(LogPath));
    }

    [Fact]
    public void A_corrupt_line_before_the_last_is_reported_with_its_line_number()
    {
        Write(Failures);
        var lines = File.ReadAllLines(LogPath);
        lines[1] = lines[1][..(lines[1].Length / 2)];
        File.WriteAllLines(LogPath, lines);

        var error = Assert.Throws<InvalidDataException>(() => FailureLog.Read(LogPath).ToList());

        Assert.Contains(LogPath, error.Message);
        Assert.Contains("line 2 is not a failed work item", error.Message);
    }

    [Fact]
    public void A_line_without_a_reason_is_not_a_failed_work_item()
    {
        File.WriteAllLines(LogPath, ["{\"failed_at\":\"2026-12-01T00:00:00+00:00\",\"trial\":1,\"shard\":0,\"attempts\":3}", "{}"]);

        Assert.Contains("line 1 is not a failed work item", Assert.Throws<InvalidDataException>(() => FailureLog.Read(LogPath).ToList()).Message);
    }

    [Fact]
    public void A_missing_log_holds_nothing() => Assert.Empty(FailureLog.Read(LogPath));
}
