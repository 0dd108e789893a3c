using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

/// <summary>
/// Every performance benchmark in one run, each in a process of its own (so each one's memory is its
/// own), then one summary table of the headline figures against their aims, as Markdown and CSV.
/// </summary>
public sealed class BenchAllCommand : AsyncCommand<BenchSettings>
{
    static readonly string[] Benchmarks = ["ig", "quadrature", "cluster", "scaling", "igos"];

    public override async Task<int> ExecuteAsync(CommandContext context, BenchSettings settings, CancellationToken cancellation)
    {
        var threads = settings.Threads ?? Environment.ProcessorCount;
        var failures = new Dictionary<string, string>();
        foreach (var benchmark in Benchmarks)
        {
            AnsiConsole.Write(new Rule($"bench {benchmark}").LeftJustified());
            var clock = Stopwatch.StartNew();
            var exit = await RunChild(benchmark, threads, settings.Out, cancellation);
            if (exit != 0) failures[benchmark] = $"exit code {exit}";
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]bench {benchmark}: {clock.Elapsed.TotalMinutes:F1} min[/]");
        }

        var summary = Summarise(settings.Out, failures);
        summary.Print();
        summary.Write(settings.Out, "summary", Machine.Describe(threads));
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"written to [bold]{Path.Combine(settings.Out, "summary.md")}[/] and summary.csv, beside each benchmark's own table");
        return failures.Count == 0 ? 0 : 1;
    }

    static async Task<int> RunChild(string benchmark, int threads, string output, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            ArgumentList = { BenchBranch.Name, benchmark, "--threads", threads.ToString(CultureInfo.InvariantCulture), "--out", output },
            UseShellExecute = false,
        };
        using var child = Process.Start(start)!;
        await child.WaitForExitAsync(cancellation);
        return child.ExitCode;
    }

    static BenchmarkTable Summarise(string directory, IReadOnlyDictionary<string, string> failures)
    {
        var table = new BenchmarkTable("Saliency benchmarks: headline figures", "benchmark", "figure", "measured", "aim", "table");
        void From(string benchmark, Action<BenchmarkCsv> add)
        {
            var path = Path.Combine(directory, benchmark + ".csv");
            if (failures.TryGetValue(benchmark, out var failure) || !File.Exists(path))
                table.Add(benchmark, "not measured", failure ?? "no table written", "-", $"{benchmark}.md");
            else add(BenchmarkCsv.Read(path));
        }

        From("ig", ig =>
        {
            foreach (var row in ig.Rows.Where(r => r[0].EndsWith("batch 64", StringComparison.Ordinal) && r[0].StartsWith("integrated gradients", StringComparison.Ordinal)))
                table.Add("1. engine efficiency", $"IG images/s × steps ÷ raw forward+backward samples/s, {row[1]} steps", row[4], "≥ 0.9", "ig.md");
            table.Add("2. against Captum", "IG images/s, ours ÷ Captum, 64 steps",
                ig.Rows.FirstOrDefault(r => r[0].StartsWith("ratio: ours / Captum", StringComparison.Ordinal))?[2] ?? "skipped (SALIENCY_CAPTUM unset)", "≥ 1.0", "ig.md");
            if (ig.Rows.FirstOrDefault(r => r[0].StartsWith("peak RSS", StringComparison.Ordinal)) is { } memory)
                table.Add("6. memory", $"peak RSS growth from 1,000 to 10,000 images ({memory[2]} → {memory[3]} MiB)",
                    Percent(double.Parse(memory[4], CultureInfo.InvariantCulture) - 1), "< 5%", "ig.md");
        });
        From("quadrature", quadrature =>
        {
            foreach (var rule in quadrature.Rows.GroupBy(r => r[0]))
                table.Add("3. quadrature", $"median steps to |delta| ≤ 1%, {rule.Key}",
                    string.Join("; ", rule.Select(r => $"{r[1]} {r[2]}")), "fewest", "quadrature.md");
        });
        From("cluster", cluster => table.Add("4. cluster overhead", "sweep through the embedded silo ÷ library loop (throughput)",
            cluster.Rows[^1][3], "≥ 0.9", "cluster.md"));
        From("scaling", scaling => table.Add("5. scaling", "two worker silo processes ÷ one (throughput)", scaling.Rows[^1][3], "≥ 1.8", "scaling.md"));
        From("igos", igos => table.Add("7. I-GOS", "seconds per image ÷ IG at 50 steps",
            igos.Rows.First(r => r[0].StartsWith("i-gos", StringComparison.Ordinal))[2], "-", "igos.md"));
        return table;
    }

    static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
