using Spectre.Console;

namespace Saliency.Cli.Cluster;

/// <summary>
/// Standard error as a console for hints, notes and errors: a command a script calls (<c>id=$(saliency submit spec.yaml)</c>,
/// <c>saliency status ID --json</c>) prints its value alone on standard output.
/// </summary>
public static class StandardError
{
    public static IAnsiConsole Console { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
}
