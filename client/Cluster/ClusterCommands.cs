using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Contracts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Saliency.Cli.Cluster;

public class ClusterSettings : CommandSettings
{
    [CommandOption("--cluster <CONN>"), Description("The cluster: redis://HOST:PORT, or a gateway on this machine: localhost, localhost:PORT or PORT.")]
    [DefaultValue("localhost")]
    public string Cluster { get; init; } = "localhost";

    [CommandOption("--tls-cert <PFX>"), Description("Talk to the cluster over TLS with this certificate (PKCS#12, with its key); the silos must trust it.")]
    public string? TlsCertificate { get; init; }

    [CommandOption("--tls-password <PASSWORD>"), Description("Password of the --tls-cert file (default: $SALIENCY_TLS_PASSWORD).")]
    public string? TlsPassword { get; init; }

    [CommandOption("--tls-trust <LIST>"), Description("Comma-separated certificate files or thumbprints of silos to trust, besides the --tls-cert certificate and the CA it carries.")]
    public string? TlsTrust { get; init; }

    public ClusterTls Tls => TlsSettings.From(TlsCertificate, TlsPassword, TlsTrust);
}

/// <summary>The TLS options the cluster commands and the silo command share.</summary>
public static class TlsSettings
{
    public const string PasswordVariable = "SALIENCY_TLS_PASSWORD";

    public static ClusterTls From(string? certificate, string? password, string? trust) => new()
    {
        CertificatePath = certificate,
        CertificatePassword = password ?? Environment.GetEnvironmentVariable(PasswordVariable),
        Trusted = [.. (trust ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
    };
}

public sealed class SweepIdSettings : ClusterSettings
{
    [CommandArgument(0, "<ID>"), Description("The sweep's id, as submit printed it.")]
    public string Id { get; init; } = "";
}

public sealed class SubmitSettings : ClusterSettings
{
    [CommandArgument(0, "[SPEC]"), Description("Sweep spec (YAML or JSON).")]
    public string? Spec { get; init; }

    [CommandOption("--resume <ID>"), Description("Continue a stopped sweep instead of submitting a new one.")]
    public string? Resume { get; init; }
}

/// <summary>Submits a sweep to a running cluster and prints its id.</summary>
public sealed class SubmitCommand : AsyncCommand<SubmitSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SubmitSettings settings, CancellationToken cancellation)
    {
        if (settings.Resume is null && settings.Spec is null) throw new ArgumentException("name a SPEC file, or --resume ID");
        var submission = settings.Spec is null ? null : SpecFile.Read(settings.Spec);
        await using var cluster = await ClusterConnection.Open(settings.Cluster, settings.Tls);
        if (settings.Resume is { } id)
        {
            var progress = await cluster.Sweep(id).Resume();
            AnsiConsole.WriteLine(ProgressView.Headline(progress));
            return 0;
        }
        using var span = ClientTelemetry.Source.StartActivity("sweep submit");
        var ticket = await cluster.Directory.Submit(submission!);
        span?.SetTag("saliency.sweep", ticket.SweepId);
        Console.WriteLine(ticket.SweepId);
        StandardError.Console.MarkupLineInterpolated($"[grey]results under {ticket.RunDirectory} on the coordinator; follow with: saliency watch {ticket.SweepId}[/]");
        return 0;
    }
}

/// <summary>Follows a sweep's progress live; leaving the view leaves the sweep running.</summary>
public sealed class WatchCommand : AsyncCommand<SweepIdSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SweepIdSettings settings, CancellationToken cancellation)
    {
        await using var cluster = await ClusterConnection.Open(settings.Cluster, settings.Tls);
        var progress = await ProgressView.Follow(cluster.Sweep(settings.Id), cancellation);
        if (progress.Finished)
        {
            SummaryView.Print(progress, progress.Objective ?? SweepObjective.Default.Name);
            SummaryView.PrintVerdict(progress.RunDirectory);
        }
        return progress.Status == SweepStatus.Failed ? 1 : 0;
    }
}

public sealed class StatusSettings : ClusterSettings
{
    [CommandArgument(0, "[ID]"), Description("A sweep's id; all sweeps when left out.")]
    public string? Id { get; init; }

    [CommandOption("--json"), Description("Print as JSON.")]
    public bool Json { get; init; }
}

/// <summary>One sweep's progress, or the list of sweeps the cluster knows.</summary>
public sealed class StatusCommand : AsyncCommand<StatusSettings>
{
    static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public override async Task<int> ExecuteAsync(CommandContext context, StatusSettings settings, CancellationToken cancellation)
    {
        await using var cluster = await ClusterConnection.Open(settings.Cluster, settings.Tls);
        if (settings.Id is null)
        {
            var sweeps = await cluster.Directory.List();
            if (settings.Json) { Console.WriteLine(JsonSerializer.Serialize(sweeps, JsonOptions)); return 0; }
            var table = new Table().AddColumns("id", "name", "status", "submitted");
            foreach (var s in sweeps) table.AddRow(s.SweepId, s.Name, s.Status.ToString().ToLowerInvariant(), s.Submitted.ToString("u"));
            AnsiConsole.Write(table);
            return 0;
        }
        var progress = await cluster.Sweep(settings.Id).GetProgress();
        if (settings.Json) Console.WriteLine(JsonSerializer.Serialize(progress, JsonOptions));
        else AnsiConsole.Write(ProgressView.Render(progress));
        return 0;
    }
}

public sealed class ResultsSettings : ClusterSettings
{
    [CommandArgument(0, "<ID>")]
    public string Id { get; init; } = "";

    [CommandOption("--out <DIR>"), Description("Where to copy the run directory.")]
    public string Out { get; init; } = "";
}

/// <summary>Copies a sweep's results from the coordinator's machine.</summary>
public sealed class ResultsCommand : AsyncCommand<ResultsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ResultsSettings settings, CancellationToken cancellation)
    {
        if (string.IsNullOrEmpty(settings.Out)) throw new ArgumentException("--out DIR is required");
        await using var cluster = await ClusterConnection.Open(settings.Cluster, settings.Tls);
        var count = await ResultDownload.CopyTo(cluster.Sweep(settings.Id), settings.Out);
        StandardError.Console.MarkupLineInterpolated($"{count} files of {settings.Id} copied to [bold]{settings.Out}[/]");
        return 0;
    }
}

/// <summary>Cancels a sweep; what finished stays in its results.</summary>
public sealed class CancelCommand : AsyncCommand<SweepIdSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SweepIdSettings settings, CancellationToken cancellation)
    {
        await using var cluster = await ClusterConnection.Open(settings.Cluster, settings.Tls);
        AnsiConsole.WriteLine(ProgressView.Headline(await cluster.Sweep(settings.Id).Cancel()));
        return 0;
    }
}

/// <summary>Reads and checks a spec file before anything is sent or started.</summary>
public static class SpecFile
{
    public static SweepSubmission Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"sweep spec '{path}' does not exist");
        var text = SweepSpec.ReadFile(path);
        var file = Path.GetFileName(path);
        ParsedSpecs.Parse(text, file);
        return new SweepSubmission(text, file);
    }
}
