using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;
using Saliency.Grains;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli;

/// <summary>Turns the errors users cause (bad options, missing files, a device this build or machine lacks) into one clear line and exit code 2.</summary>
public static class CliErrors
{
    public static int Run(Func<int> run)
    {
        try { return run(); }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidDataException
                                      or CommandParseException or CommandRuntimeException or UnauthorizedAccessException
                                      or SweepSpecException or SweepException or KeyNotFoundException
                                      or ComputeDeviceUnavailableException)
        {
            StandardError.Console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 2;
        }
    }
}
