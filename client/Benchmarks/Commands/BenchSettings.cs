using System.ComponentModel;
using Spectre.Console.Cli;

namespace Saliency.Cli.Benchmarks.Commands;

/// <summary>Options every benchmark shares: threads, and where its table is written.</summary>
public class BenchSettings : CommandSettings
{
    [CommandOption("--threads <N>"), Description("libtorch intra-op threads (default: all cores).")]
    public int? Threads { get; init; }

    [CommandOption("--out <DIR>"), Description("Directory for the table as Markdown and CSV.")]
    [DefaultValue("bench")]
    public string Out { get; init; } = "bench";
}

/// <summary>Options of the benchmarks that time the IG sweep of <see cref="BenchSweep"/>.</summary>
public class BenchSweepSettings : BenchSettings
{
    [CommandOption("--images <N>")]
    [DefaultValue(512)]
    public int Images { get; init; } = 512;

    [CommandOption("--steps <N>")]
    [DefaultValue(32)]
    public int Steps { get; init; } = 32;

    [CommandOption("--repetitions <N>"), Description("Measured sweeps per configuration; the median is reported.")]
    [DefaultValue(5)]
    public int Repetitions { get; init; } = 5;
}
