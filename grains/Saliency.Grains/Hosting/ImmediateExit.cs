using System.Runtime.InteropServices;

namespace Saliency.Grains.Hosting;

/// <summary>
/// Ends the process at once. <see cref="Environment.Exit"/> runs the exit handlers, and the host's handler waits for the
/// host to stop, which waits for a work item computing on another thread, or for a membership table that is not there.
/// The result log is flushed at every outcome and grain state is written whole or not at all, so nothing that was
/// recorded is lost; work in flight is computed again.
/// </summary>
public static class ImmediateExit
{
    public static void Now(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsWindows()) Environment.Exit(code);
        Exit(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    static extern void Exit(int status);
}
