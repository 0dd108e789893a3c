using System.ComponentModel;
using Saliency.Attribution.Sweeps;
using Saliency.Cli.Sweeps;
using Saliency.Grains.Hosting;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;
using Saliency.Cluster.Hosting;
using Saliency.Cli.Cluster;

namespace Saliency.Cli.Commands;

public class EmbeddedSettings : CommandSettings
{
    [CommandOption("--runs <DIR>"), Description("Where run directories (and the embedded silo's state) go.")]
    [DefaultValue("runs")]
    public string Runs { get; init; } = "runs";

    [CommandOption("--threads <N>"), Description("libtorch intra-op threads (default: all cores).")]
    public int? Threads { get; init; }

    [CommandOption("--slots <N>"), Description("Work items computed at once.")]
    [DefaultValue(1)]
    public int Slots { get; init; } = 1;

    [CommandOption("--device <DEVICE>"), Description(DeviceOption.Description)]
    [DefaultValue("cpu")]
    public string Device { get; init; } = "cpu";
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
                allowedRoots: settings.AllowedRoots);
        var ports = ClusterEndpoints.OnFreePorts();
        using var dashboard = await AspireDashboard.Start(ports.SiloPort, ports.GatewayPort, ClusterEndpoints.OnFreePorts().SiloPort);
        AnsiConsole.MarkupLineInterpolated($"Aspire Dashboard: [bold]{dashboard.Url}[/]");
        var exit = await EmbeddedRun.Execute(settings.Spec, settings.Resume, settings.Runs, settings.Threads, settings.Slots, settings.Device,
            new TelemetrySettings { OtlpEndpoint = dashboard.OtlpGrpcEndpoint }, settings.AllowedRoots);
        AnsiConsole.MarkupLineInterpolated($"the run's traces and metrics are at [bold]{dashboard.Url}[/]; Ctrl-C closes the dashboard");
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

public sealed class SiloSettings : CommandSettings
{
    [CommandOption("--role <ROLE>"), Description("all, coordinator or worker.")]
    [DefaultValue("all")]
    public string Role { get; init; } = "all";

    [CommandOption("--silo-port <PORT>")]
    [DefaultValue(11111)]
    public int SiloPort { get; init; } = 11111;

    [CommandOption("--gateway-port <PORT>")]
    [DefaultValue(30000)]
    public int GatewayPort { get; init; } = 30000;

    [CommandOption("--primary-port <PORT>"), Description("Silo port of the silo to join (default: this one is the primary).")]
    public int? PrimaryPort { get; init; }

    [CommandOption("--runs <DIR>"), Description("Artifact root for run directories.")]
    [DefaultValue("runs")]
    public string Runs { get; init; } = "runs";

    [CommandOption("--threads <N>"), Description("libtorch intra-op threads (default: all cores).")]
    public int? Threads { get; init; }

    [CommandOption("--slots <N>"), Description("Work items this worker computes at once.")]
    [DefaultValue(1)]
    public int Slots { get; init; } = 1;

    [CommandOption("--device <DEVICE>"), Description(DeviceOption.Description + " Default: Saliency:Device in configuration, else cpu.")]
    public string? Device { get; init; }

    [CommandOption("--redis <HOST:PORT>"), Description("Cluster through this Redis server and keep grain state there, so silos on many machines form one cluster.")]
    public string? Redis { get; init; }

    [CommandOption("--allow <DIRS>"), Description("Comma-separated folders that specs' data folders and model files must lie in (default: any).")]
    public string? Allow { get; init; }

    [CommandOption("--stop-seconds <SECONDS>"), Description("How long a stop (Ctrl-C, SIGTERM) may take before the silo leaves without finishing; its work in flight is computed again elsewhere.")]
    [DefaultValue(25)]
    public int StopSeconds { get; init; } = 25;

    [CommandOption("--max-steps <N>"), Description("The most steps per image a trial may take (IG steps, I-GOS iterations × 20, SmoothGrad samples, occlusion windows, RISE masks); sweeps above it are refused.")]
    [DefaultValue(StepLimit.Default)]
    public int MaxSteps { get; init; } = StepLimit.Default;

    [CommandOption("--batch-memory <MIB>"), Description("Native memory one pass may take per slot when a sweep says 'batch: auto'.")]
    [DefaultValue(SaliencySiloOptions.DefaultBatchMemoryMiB)]
    public int BatchMemoryMiB { get; init; } = SaliencySiloOptions.DefaultBatchMemoryMiB;

    [CommandOption("--tls-cert <PFX>"), Description("Encrypt all cluster traffic with TLS, with this certificate (PKCS#12, with its key); peers must present a trusted certificate.")]
    public string? TlsCertificate { get; init; }

    [CommandOption("--tls-password <PASSWORD>"), Description("Password of the --tls-cert file (default: $SALIENCY_TLS_PASSWORD).")]
    public string? TlsPassword { get; init; }

    [CommandOption("--tls-trust <LIST>"), Description("Comma-separated certificate files (a peer's, or a CA's) or thumbprints to trust, besides the --tls-cert certificate and the CA it carries.")]
    public string? TlsTrust { get; init; }

    [CommandOption("--address <IP>"), Description("Address other machines reach this silo at (with --redis).")]
    [DefaultValue("127.0.0.1")]
    public string Address { get; init; } = "127.0.0.1";

    [CommandOption("--metrics-port <PORT>"), Description("Serve Prometheus metrics on http://127.0.0.1:PORT/metrics.")]
    public int? MetricsPort { get; init; }

    [CommandOption("--orleans-dashboard-port <PORT>"), Description("Serve the Orleans Dashboard (grain and silo statistics) on http://127.0.0.1:PORT/.")]
    public int? OrleansDashboardPort { get; init; }
}

/// <summary>Runs a silo until Ctrl-C: the cluster that submit, watch, status, results and cancel talk to.</summary>
public sealed class SiloCommand : AsyncCommand<SiloSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SiloSettings settings, CancellationToken cancellation)
    {
        var role = SiloRoles.Parse(settings.Role);
        using var host = SaliencyHosting.BuildSilo([], options =>
        {
            options.Role = role;
            options.ArtifactRoot = settings.Runs;
            options.TorchThreads = settings.Threads;
            options.WorkerSlots = settings.Slots;
            if (settings.Device is { } device) options.Device = device;
            // Checked with every other option when the silo is built (SaliencySiloOptions.Problems).
            (options.StopSeconds, options.MaxSteps, options.BatchMemoryMiB) = (settings.StopSeconds, settings.MaxSteps, settings.BatchMemoryMiB);
            if (settings.Redis is { } redis) (options.GrainStorage, options.Redis) = ("redis", redis);
            if (settings.TlsCertificate is not null) options.Tls = TlsSettings.From(settings.TlsCertificate, settings.TlsPassword, settings.TlsTrust);
            if (settings.Allow is not null) options.AllowedRoots = [.. AllowList.Parse(settings.Allow)];
        }, new ClusterEndpoints
        {
            SiloPort = settings.SiloPort,
            GatewayPort = settings.GatewayPort,
            PrimarySiloPort = settings.PrimaryPort,
            Clustering = settings.Redis is null ? "localhost" : "redis",
            Redis = settings.Redis ?? "",
            Address = settings.Address,
        },
            telemetry: new TelemetrySettings { PrometheusPort = settings.MetricsPort, OrleansDashboardPort = settings.OrleansDashboardPort });
        await host.RunBoundedAsync(cancellation);
        return 0;
    }
}
