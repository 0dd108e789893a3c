namespace Saliency.Cli.Tests;

/// <summary>
/// Every command's <c>--help</c>, run as a user runs it: the built program, each command found in the help of the one
/// above it, branches (<c>bench</c>) followed down, so a command added later is covered without being listed here.
/// </summary>
[Trait("Lane", "EndToEnd")]
public class CommandHelpTests
{
    [Fact]
    public async Task Every_command_and_subcommand_prints_its_help_and_exits_0()
    {
        var seen = new List<string>();
        var pending = new Queue<string[]>([[]]);
        while (pending.TryDequeue(out var path))
        {
            var help = await Help(path);
            seen.Add(string.Join(' ', path));
            foreach (var command in Subcommands(help)) pending.Enqueue([.. path, command]);
        }

        // The top level, its commands and bench's: far more than a parse that found nothing would give.
        Assert.Contains("attribute", seen);
        Assert.Contains("bench ig", seen);
        Assert.True(seen.Count > 20, $"found only: {string.Join(", ", seen)}");
    }

    static async Task<string> Help(string[] path)
    {
        using var process = ChildProcess.Start("saliency " + string.Join(' ', path), Binaries.Cli, [.. path, "--help"], Path.GetTempPath());
        var exit = await process.Exit(TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"saliency {string.Join(' ', path)} --help exited with {exit}:\n{process.Tail(40)}");
        var help = string.Join('\n', process.OutputLines);
        Assert.Contains("USAGE:", help);
        Assert.DoesNotContain("Exception", process.Tail(400));
        return help;
    }

    /// <summary>
    /// The names listed under COMMANDS:, one per entry at the entries' indent; a description that wraps goes on at a
    /// deeper indent, so its words are not taken for commands.
    /// </summary>
    static IEnumerable<string> Subcommands(string help)
    {
        var lines = help.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == "COMMANDS:");
        if (start < 0) return [];
        var entries = lines.Skip(start + 1).TakeWhile(l => l.Trim().Length > 0).ToArray();
        var indent = Indent(entries[0]);
        return entries.Where(l => Indent(l) == indent).Select(l => l.Trim().Split(' ')[0]);
    }

    static int Indent(string line) => line.Length - line.TrimStart().Length;
}
