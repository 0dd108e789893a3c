using System.ComponentModel;
using Spectre.Console.Cli;

namespace Saliency.Cli.Commands;

/// <summary>Options every benchmark shares: threads, and where its table is written.</summary>
public class BenchSettings : CommandSettings
{
    [CommandOption("--threads <N>"), Description("libtorch intra-op threads (default: all cores).")]
    public int? Threads { get; init; }

    [CommandOption("--out <DIR>"), Description("Directory for the table as Markdown and CSV.")]
    [DefaultValue("bench")]
    public string Out { get; init; } = "bench";
}
