using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;
using Saliency.Cli.Cluster;
using Saliency.Grains.Contracts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli;

/// <summary>Turns the errors users cause (bad options, missing files, a device this build or machine lacks), and a cluster that stops answering, into one clear line and exit code 2.</summary>
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
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // The cluster went away in the middle of a call (a coordinator killed, a network cut): the call may have taken effect.
            StandardError.Console.MarkupLineInterpolated(
                $"[red]error:[/] the cluster did not answer ({e.GetType().Name}: {e.Message}); what was asked may or may not have been done: see saliency status before asking again");
            return 2;
        }
    }
}
