using System.ComponentModel;
using System.Globalization;
using Saliency.Cli.Telemetry;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Commands;

public sealed class DashboardSettings : CommandSettings
{
    [CommandOption("--port <PORT>"), Description("Port of the dashboard's web UI.")]
    [DefaultValue(18888)]
    public int Port { get; init; } = 18888;

    [CommandOption("--otlp-port <PORT>"), Description("Port of its OTLP/gRPC receiver.")]
    [DefaultValue(18889)]
    public int OtlpPort { get; init; } = 18889;

    [CommandOption("--otlp-http-port <PORT>"), Description("Port of its OTLP/HTTP receiver.")]
    [DefaultValue(18890)]
    public int OtlpHttpPort { get; init; } = 18890;
}

/// <summary>Starts the Aspire Dashboard on 127.0.0.1 and keeps it until Ctrl-C.</summary>
public sealed class DashboardCommand : AsyncCommand<DashboardSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DashboardSettings settings, CancellationToken cancellation)
    {
        using var dashboard = await AspireDashboard.Start(settings.Port, settings.OtlpPort, settings.OtlpHttpPort);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"Aspire Dashboard: [bold]{dashboard.LoginUrl}[/]  (OTLP gRPC {dashboard.OtlpGrpcEndpoint}, HTTP {dashboard.OtlpHttpEndpoint})");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"send telemetry with: OTEL_EXPORTER_OTLP_ENDPOINT={dashboard.OtlpGrpcEndpoint} ./saliency silo   — Ctrl-C closes the dashboard");
        await WaitForCtrlC(cancellation);
        return 0;
    }

    public static async Task WaitForCtrlC(CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try { await Task.Delay(Timeout.Infinite, stop.Token); }
        catch (OperationCanceledException) { }
        finally { Console.CancelKeyPress -= onCancel; }
    }
}
