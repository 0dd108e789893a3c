using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Saliency.Cli.Benchmarks;

/// <summary>Rows of measured figures, printed as a table and written as Markdown and CSV.</summary>
public sealed class BenchmarkTable(string title, params string[] columns)
{
    readonly List<string[]> rows = new();

    public void Add(params object[] cells) =>
        rows.Add(cells.Select(c => c switch
        {
            double d => d.ToString(Math.Abs(d) >= 100 ? "F0" : "F3", CultureInfo.InvariantCulture),
            _ => Convert.ToString(c, CultureInfo.InvariantCulture) ?? "",
        }).ToArray());

    public void Print()
    {
        var table = new Table().Title(Markup.Escape(title)).AddColumns(columns.Select(Markup.Escape).ToArray());
        foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
        AnsiConsole.Write(table);
    }

    public void Write(string directory, string name, string machine)
    {
        Directory.CreateDirectory(directory);
        var markdown = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"### {title}").AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}").AppendLine()
            .AppendLine("| " + string.Join(" | ", columns) + " |")
            .AppendLine("|" + string.Concat(columns.Select(_ => " --- |")));
        foreach (var row in rows) markdown.AppendLine("| " + string.Join(" | ", row) + " |");
        File.WriteAllText(Path.Combine(directory, name + ".md"), markdown.ToString());
        File.WriteAllLines(Path.Combine(directory, name + ".csv"),
            new[] { string.Join(",", columns.Select(Csv)) }.Concat(rows.Select(r => string.Join(",", r.Select(Csv)))));
    }

    static string Csv(string cell) => cell.Contains(',') || cell.Contains('"') ? $"\"{cell.Replace("\"", "\"\"")}\"" : cell;
}

/// <summary>What a benchmark ran on, and the process's resident memory.</summary>
public static class Machine
{
    public static string Describe(int threads)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{cpu ?? "unknown CPU"}, {Environment.ProcessorCount} cores, {threads} torch threads, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
    }

    /// <summary>Peak resident set size so far (VmHWM), in MiB.</summary>
    public static double PeakResidentMiB() => StatusKilobytes("VmHWM:") / 1024.0;

    public static double ResidentMiB() => StatusKilobytes("VmRSS:") / 1024.0;

    static long StatusKilobytes(string field)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}

public static class Measure
{
    /// <summary>Median seconds of <paramref name="repetitions"/> runs after one warm-up.</summary>
    public static double MedianSeconds(int repetitions, Action run)
    {
        run();
        return Median(Enumerable.Range(0, repetitions).Select(_ => Seconds(run)).ToArray());
    }

    /// <summary>Seconds of one run.</summary>
    public static double Seconds(Action run)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        run();
        return clock.Elapsed.TotalSeconds;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no values to take the median of", nameof(values));
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

/// <summary>A table that <see cref="BenchmarkTable.Write"/> wrote as CSV, read back: its rows without the header.</summary>
public sealed record BenchmarkCsv(IReadOnlyList<string[]> Rows)
{
    public static BenchmarkCsv Read(string path) => new(File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(Split).ToArray());

    static string[] Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells.ToArray();
    }
}
