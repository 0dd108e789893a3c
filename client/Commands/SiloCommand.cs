using System.ComponentModel;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Saliency.Cli.Cluster;
using Saliency.Cli.ModelOptions;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Hosting;
using Saliency.Web;
using Saliency.Web.Sources;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Commands;

/// <summary>
/// The silo command's flags. Each is a configuration key (<see cref="SiloKeys"/>) and holds no default of its own: a flag
/// left out leaves the key to the environment (<c>Saliency__MaxSteps</c>) or to the options' own default.
/// </summary>
public sealed class SiloSettings : CommandSettings
{
    [CommandOption("--role <ROLE>"), Description("all, coordinator or worker (default: all).")]
    public string? Role { get; init; }

    [CommandOption("--silo-port <PORT>"), Description("Default: 11111.")]
    public int? SiloPort { get; init; }

    [CommandOption("--gateway-port <PORT>"), Description("Default: 30000.")]
    public int? GatewayPort { get; init; }

    [CommandOption("--primary-port <PORT>"), Description("Silo port of the silo to join (default: this one is the primary).")]
    public int? PrimaryPort { get; init; }

    [CommandOption("--runs <DIR>"), Description("Artifact root for run directories (default: runs).")]
    public string? Runs { get; init; }

    [CommandOption("--threads <N>"), Description("libtorch intra-op threads (default: all cores).")]
    public int? Threads { get; init; }

    [CommandOption("--slots <N>"), Description("Work items this worker computes at once (default: 1).")]
    public int? Slots { get; init; }

    [CommandOption("--device <DEVICE>"), Description(DeviceOption.Description + " Default: cpu.")]
    public string? Device { get; init; }

    [CommandOption("--redis <HOST:PORT>"), Description("Cluster through this Redis server and keep grain state there, so silos on many machines form one cluster.")]
    public string? Redis { get; init; }

    [CommandOption("--allow <DIRS>"), Description("Comma-separated folders that specs' data folders, model files and labels " +
        "must lie in (default: the working directory, the Fashion-MNIST folder and the built-in models; --allow / lifts it).")]
    public string? Allow { get; init; }

    [CommandOption("--stop-seconds <SECONDS>"), Description("How long a stop (Ctrl-C, SIGTERM) may take before " +
        "the silo leaves without finishing; its work in flight is computed again elsewhere (default: 25).")]
    public int? StopSeconds { get; init; }

    [CommandOption("--max-steps <N>"), Description("The most steps per image a trial may take (IG steps, I-GOS iterations " +
        "× 20, SmoothGrad samples, occlusion windows, RISE masks); sweeps above it are refused (default: 4096).")]
    public int? MaxSteps { get; init; }

    [CommandOption("--batch-memory <MIB>"), Description("Native memory one pass may take per slot when a sweep says 'batch: auto' (default: 256).")]
    public int? BatchMemoryMiB { get; init; }

    [CommandOption("--tls-cert <PFX>"), Description("Encrypt all cluster traffic with TLS, with this certificate (PKCS#12, with its key); peers must present a trusted certificate.")]
    public string? TlsCertificate { get; init; }

    [CommandOption("--tls-password <PASSWORD>"), Description("Password of the --tls-cert file (default: $SALIENCY_TLS_PASSWORD).")]
    public string? TlsPassword { get; init; }

    [CommandOption("--tls-trust <LIST>"), Description("Comma-separated certificate files (a peer's, or a CA's) or thumbprints to trust, besides the --tls-cert certificate and the CA it carries.")]
    public string? TlsTrust { get; init; }

    [CommandOption("--address <IP>"), Description("Address other machines reach this silo at, with --redis (default: 127.0.0.1).")]
    public string? Address { get; init; }

    [CommandOption("--trust-torchscript <BOOL>"), Description("Whether specs may name TorchScript models, which run code of their own on this silo (default: true; false takes weights only).")]
    public bool? TrustTorchScript { get; init; }

    [CommandOption("--insecure"), Description("Run off loopback without TLS, on a network trusted as a whole: any machine that reaches the gateway may submit, read results and cancel.")]
    public bool Insecure { get; init; }

    [CommandOption("--metrics-port <PORT>"), Description("Serve Prometheus metrics on http://127.0.0.1:PORT/metrics.")]
    public int? MetricsPort { get; init; }

    [CommandOption("--orleans-dashboard-port <PORT>"), Description("Serve the Orleans Dashboard (grain and silo statistics) on http://127.0.0.1:PORT/.")]
    public int? OrleansDashboardPort { get; init; }

    [CommandOption("--web <PORT>"), Description("Serve the live web view of the cluster's sweeps on PORT at --address: plain HTTP on loopback; " +
        "off loopback HTTPS with the --tls-cert certificate and an access token printed at start. Coordinator silos only (docs/web.md).")]
    public int? Web { get; init; }
}

/// <summary>
/// The configuration key each silo flag sets. The silo is built from configuration alone, so its defaults and rules
/// are those of <see cref="SaliencySiloOptions"/>, <see cref="ClusterEndpoints"/> and <see cref="TelemetrySettings"/>,
/// and a bad value is named by its key (<c>Saliency:BatchMemoryMiB must be at least 1 MiB</c>).
/// </summary>
public static class SiloKeys
{
    const string Silo = SaliencySiloOptions.Section, Cluster = ClusterEndpoints.Section, Telemetry = TelemetrySettings.Section, Tls = ClusterTls.Section;

    /// <summary>Each flag with one value as it is given, its key, and how to read it from the settings.</summary>
    static readonly (string Flag, string Key, Func<SiloSettings, object?> Value)[] Plain =
    [
        ("--role", $"{Silo}:{nameof(SaliencySiloOptions.Role)}", s => s.Role is { } role ? SiloRoles.Parse(role) : null),
        ("--runs", $"{Silo}:{nameof(SaliencySiloOptions.ArtifactRoot)}", s => s.Runs),
        ("--threads", $"{Silo}:{nameof(SaliencySiloOptions.TorchThreads)}", s => s.Threads),
        ("--slots", $"{Silo}:{nameof(SaliencySiloOptions.WorkerSlots)}", s => s.Slots),
        ("--device", $"{Silo}:{nameof(SaliencySiloOptions.Device)}", s => s.Device),
        ("--stop-seconds", $"{Silo}:{nameof(SaliencySiloOptions.StopSeconds)}", s => s.StopSeconds),
        ("--max-steps", $"{Silo}:{nameof(SaliencySiloOptions.MaxSteps)}", s => s.MaxSteps),
        ("--batch-memory", $"{Silo}:{nameof(SaliencySiloOptions.BatchMemoryMiB)}", s => s.BatchMemoryMiB),
        ("--silo-port", $"{Cluster}:{nameof(ClusterEndpoints.SiloPort)}", s => s.SiloPort),
        ("--gateway-port", $"{Cluster}:{nameof(ClusterEndpoints.GatewayPort)}", s => s.GatewayPort),
        ("--primary-port", $"{Cluster}:{nameof(ClusterEndpoints.PrimarySiloPort)}", s => s.PrimaryPort),
        ("--address", $"{Cluster}:{nameof(ClusterEndpoints.Address)}", s => s.Address),
        ("--insecure", $"{Silo}:{nameof(SaliencySiloOptions.Insecure)}", s => s.Insecure ? true : null),
        ("--trust-torchscript", $"{Silo}:{nameof(SaliencySiloOptions.TrustTorchScript)}", s => s.TrustTorchScript),
        ("--metrics-port", $"{Telemetry}:{nameof(TelemetrySettings.PrometheusPort)}", s => s.MetricsPort),
        ("--orleans-dashboard-port", $"{Telemetry}:{nameof(TelemetrySettings.OrleansDashboardPort)}", s => s.OrleansDashboardPort),
        ("--web", $"{Silo}:{nameof(SaliencySiloOptions.WebPort)}", s => s.Web),
    ];

    // The TLS certificate and its password are read together, the password from the environment when not given.
    const string TlsCertificateKey = $"{Tls}:{nameof(ClusterTls.CertificatePath)}", TlsPasswordKey = $"{Tls}:{nameof(ClusterTls.CertificatePassword)}";

    /// <summary>Each flag with one value, and its key.</summary>
    public static readonly IReadOnlyDictionary<string, string> ByFlag = Plain.Select(f => (f.Flag, f.Key))
        .Append(("--tls-cert", TlsCertificateKey)).Append(("--tls-password", TlsPasswordKey))
        .ToDictionary(f => f.Item1, f => f.Item2);

    /// <summary>
    /// The flags given, as command-line configuration (<c>--Saliency:MaxSteps 64</c>); a flag left out adds nothing.
    /// <c>--redis</c> sets clustering and grain storage both, and the lists (<c>--allow</c>, <c>--tls-trust</c>) one key per entry.
    /// </summary>
    /// <exception cref="ArgumentException">The role is not all, coordinator or worker.</exception>
    public static string[] Arguments(SiloSettings settings)
    {
        var keys = new List<(string Key, string Value)>();
        void Set(string key, object? value)
        {
            if (value is not null) keys.Add((key, Convert.ToString(value, CultureInfo.InvariantCulture)!));
        }
        void List(string key, IEnumerable<string> values) => keys.AddRange(values.Select((value, i) => ($"{key}:{i}", value)));

        foreach (var (_, key, value) in Plain) Set(key, value(settings));
        if (settings.Redis is { } redis)
            keys.AddRange([($"{Cluster}:{nameof(ClusterEndpoints.Clustering)}", "redis"), ($"{Cluster}:{nameof(ClusterEndpoints.Redis)}", redis),
                ($"{Silo}:{nameof(SaliencySiloOptions.GrainStorage)}", "redis"), ($"{Silo}:{nameof(SaliencySiloOptions.Redis)}", redis)]);
        if (settings.Allow is not null) List($"{Silo}:{nameof(SaliencySiloOptions.AllowedRoots)}", AllowList.Parse(settings.Allow));
        if (settings.TlsCertificate is not null)
        {
            var tls = TlsSettings.From(settings.TlsCertificate, settings.TlsPassword, settings.TlsTrust);
            Set(TlsCertificateKey, tls.CertificatePath);
            Set(TlsPasswordKey, tls.CertificatePassword);
            List($"{Tls}:{nameof(ClusterTls.Trusted)}", tls.Trusted);
        }
        return [.. keys.SelectMany(k => new[] { "--" + k.Key, k.Value })];
    }
}

/// <summary>Runs a silo until Ctrl-C: the cluster that submit, watch, status, results and cancel talk to.</summary>
public sealed class SiloCommand : AsyncCommand<SiloSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SiloSettings settings, CancellationToken cancellation)
    {
        using var host = SaliencyHosting.BuildSilo(SiloKeys.Arguments(settings));
        var options = host.Services.GetRequiredService<IOptions<SaliencySiloOptions>>().Value;
        if (options.WebPort is not null && !options.Role.HostsCoordinators())
            throw new ArgumentException("--web serves the sweeps from the coordinator's run directories: give it to a silo of role all or coordinator, not worker");
        await using var view = options.WebPort is { } port ? await SweepWebServer.Start(new ClusterSource(host.Services.GetRequiredService<IGrainFactory>()), new WebViewOptions
        {
            Port = port,
            Address = IPAddress.Parse(settings.Address ?? "127.0.0.1"),
            Tls = settings.TlsCertificate is null ? null : TlsSettings.From(settings.TlsCertificate, settings.TlsPassword, settings.TlsTrust),
        }, cancellation) : null;
        if (view is not null) StandardError.Console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"web view: [bold]{view.Url}[/]");
        await host.RunBoundedAsync(cancellation);
        return 0;
    }
}
