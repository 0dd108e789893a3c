using System.ComponentModel;
using System.Runtime.InteropServices;
using Saliency.Cli.Cluster;
using Saliency.Web;
using Saliency.Web.Sources;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Commands;

public sealed class ViewSettings : CommandSettings
{
    [CommandArgument(0, "<RUN_DIR>"), Description("A sweep's run directory: finished, stopped, or still being written by a run on this machine.")]
    public string RunDirectory { get; init; } = "";

    [CommandOption("--port <PORT>"), Description("Serve on http://127.0.0.1:PORT/ (default: 8800; 0 takes a free port).")]
    [DefaultValue(WebPort.Default)]
    public int Port { get; init; } = WebPort.Default;
}

/// <summary>The web view's port when none is named.</summary>
public static class WebPort
{
    public const int Default = 8800;
}

/// <summary>Serves the web view of one run directory on loopback, with no cluster, until Ctrl-C.</summary>
public sealed class ViewCommand : AsyncCommand<ViewSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ViewSettings settings, CancellationToken cancellation)
    {
        var source = new RunDirectorySource([settings.RunDirectory]);
        await using var server = await SweepWebServer.Start(source, new WebViewOptions { Port = settings.Port }, cancellation);
        var id = (await source.List(cancellation))[0].Id;
        StandardError.Console.MarkupLineInterpolated($"web view of {settings.RunDirectory}: [bold]{server.Url}sweeps/{id}[/] (Ctrl-C stops it)");
        // A service manager stops it with SIGTERM, which Ctrl-C's handler does not see.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
        await DashboardCommand.WaitForCtrlC(stop.Token);
        return 0;
    }
}
