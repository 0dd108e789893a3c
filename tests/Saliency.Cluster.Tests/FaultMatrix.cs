using System.Globalization;
using Saliency.Attribution.Results;
using Xunit.Abstractions;

namespace Saliency.Cluster.Tests;

/// <summary>
/// One row of the fault matrix: a fault done to real processes, what the sweep's result log holds after
/// it, and how long the cluster took to get back. <see cref="Lost"/> is counted from the log, not from the
/// coordinator's own counters.
/// </summary>
public sealed record FaultRow(string Fault, int Expected, int Distinct, int LogLines, int DuplicatesDropped, int Retried,
    double RecoverySeconds, string Recovery)
{
    public int Lost => Expected - Distinct;

    /// <summary>The (trial, image) results the log at <paramref name="runDirectory"/> holds: distinct ones, and lines in all.</summary>
    public static (int Distinct, int Lines) Count(string runDirectory)
    {
        var logged = ResultLog.Read(ResultLog.PathIn(runDirectory)).SelectMany(o => o.Images.Select(i => (o.Trial, i.Key))).ToList();
        return (logged.Distinct().Count(), logged.Count);
    }
}

/// <summary>
/// Writes each row a fault test measured to <c>fault-matrix.tsv</c> among the test artifacts, where
/// <c>scripts/fault-matrix.sh</c> makes the table in docs/reliability.md from them. A row is written
/// before the test asserts on it, so a failing fault shows in the table too.
/// </summary>
public static class FaultMatrix
{
    public const string FileName = "fault-matrix.tsv";

    static readonly Lock Writing = new();

    /// <summary>Counts what the sweep's log holds, then records the row; returns it for the test to assert on.</summary>
    public static FaultRow Record(ITestOutputHelper output, string fault, Saliency.Grains.Contracts.SweepProgress progress, int expected, double recoverySeconds, string recovery)
    {
        var (distinct, lines) = FaultRow.Count(progress.RunDirectory);
        var row = new FaultRow(fault, expected, distinct, lines, progress.DuplicatesDropped, progress.Retries, recoverySeconds, recovery);
        Record(output, row);
        return row;
    }

    static void Record(ITestOutputHelper output, FaultRow row)
    {
        var cells = new[]
        {
            row.Fault, row.Expected.ToString(CultureInfo.InvariantCulture), row.Lost.ToString(CultureInfo.InvariantCulture),
            (row.LogLines - row.Distinct).ToString(CultureInfo.InvariantCulture), row.DuplicatesDropped.ToString(CultureInfo.InvariantCulture),
            row.Retried.ToString(CultureInfo.InvariantCulture), row.RecoverySeconds.ToString("F1", CultureInfo.InvariantCulture), row.Recovery,
        };
        var line = string.Join('\t', cells.Select(c => c.Replace('\t', ' ').Replace('\n', ' ')));
        output.WriteLine($"fault matrix: {line}");
        var folder = Environment.GetEnvironmentVariable("SALIENCY_TEST_ARTIFACTS");
        if (string.IsNullOrEmpty(folder)) return;
        Directory.CreateDirectory(folder);
        lock (Writing) File.AppendAllLines(Path.Combine(folder, FileName), [line]);
    }
}
