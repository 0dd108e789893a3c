using System.ComponentModel;
using System.Globalization;
using Saliency.Cli.Embedded;
using Saliency.Cli.ModelOptions;
using Saliency.Cli.Telemetry;
using Saliency.Cluster.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Commands;

public class EmbeddedSettings : CommandSettings
{
    [CommandOption("--runs <DIR>"), Description("Where run directories (and the embedded silo's state) go.")]
    [DefaultValue("runs")]
    public string Runs { get; init; } = "runs";

    [CommandOption("--threads <N>"), Description("libtorch intra-op threads (default: all cores).")]
    public int? Threads { get; init; }

    [CommandOption("--slots <N>"), Description("Work items computed at once (default: 1).")]
    public int? Slots { get; init; }

    [CommandOption("--device <DEVICE>"), Description(DeviceOption.Description + " Default: cpu.")]
    public string? Device { get; init; }
}

public sealed class RunSettings : EmbeddedSettings
{
    [CommandArgument(0, "[SPEC]"), Description("Sweep spec (YAML or JSON).")]
    public string? Spec { get; init; }

    [CommandOption("--resume <RUN_DIR>"), Description("Finish a stopped sweep without recomputing finished work.")]
    public string? Resume { get; init; }

    [CommandOption("--dashboard"), Description("Start the Aspire Dashboard and send this run's traces, metrics and logs to it.")]
    public bool Dashboard { get; init; }

    [CommandOption("--allow <DIRS>"), Description("Comma-separated folders that the spec's data folder and model file must lie in (default: any).")]
    public string? Allow { get; init; }

    public IReadOnlyList<string> AllowedRoots => AllowList.Parse(Allow);

    [CommandOption("--web [PORT]"), Description("Serve the live web view on http://127.0.0.1:PORT/ (default " +
        "port 8800) and print its address on standard error; it stays after the sweep until Ctrl-C.")]
    public FlagValue<int>? Web { get; init; }

    /// <summary>The web view asked for, if any.</summary>
    public Saliency.Web.WebViewOptions? WebView => Web is { IsSet: true } web ? new() { Port = web.Value > 0 ? web.Value : WebPort.Default } : null;
}

/// <summary>The folders an <c>--allow</c> option names.</summary>
public static class AllowList
{
    public static IReadOnlyList<string> Parse(string? allow) =>
        allow is null ? [] : allow.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs a sweep on an embedded silo in this process, with live progress.</summary>
public sealed class RunCommand : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellation)
    {
        if (!settings.Dashboard)
            return await EmbeddedRun.Execute(settings.Spec, settings.Resume, settings.Runs, settings.Threads, settings.Slots, settings.Device,
                allowedRoots: settings.AllowedRoots, web: settings.WebView);
        var ports = ClusterEndpoints.OnFreePorts();
        using var dashboard = await AspireDashboard.Start(ports.SiloPort, ports.GatewayPort, ClusterEndpoints.OnFreePorts().SiloPort);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Aspire Dashboard: [bold]{dashboard.LoginUrl}[/]");
        var exit = await EmbeddedRun.Execute(settings.Spec, settings.Resume, settings.Runs, settings.Threads, settings.Slots, settings.Device,
            new TelemetrySettings { OtlpEndpoint = dashboard.OtlpGrpcEndpoint }, settings.AllowedRoots, settings.WebView);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"the run's traces and metrics are at [bold]{dashboard.Url}[/]; Ctrl-C closes the dashboard");
        await DashboardCommand.WaitForCtrlC(cancellation);
        return exit;
    }
}

/// <summary>The demo sweep shipped with the CLI: IG over baselines and step counts, I-GOS and Grad-CAM.</summary>
public sealed class DemoCommand : AsyncCommand<EmbeddedSettings>
{
    public static string SpecPath => Path.Combine(AppContext.BaseDirectory, "sweeps", "demo.yaml");

    public override Task<int> ExecuteAsync(CommandContext context, EmbeddedSettings settings, CancellationToken cancellation) =>
        EmbeddedRun.Execute(SpecPath, null, settings.Runs, settings.Threads, settings.Slots, settings.Device);
}
