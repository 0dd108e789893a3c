using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Saliency.Cli.Commands;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Hosting;
using Spectre.Console.Cli;

namespace Saliency.Cli.Tests;

/// <summary>The silo command's flags are configuration keys, so a silo's defaults and rules are its options' alone.</summary>
[Trait("Lane", "Unit")]
public sealed class SiloKeysTests
{
    [Fact]
    public void Every_flag_lands_on_the_key_of_the_option_it_names()
    {
        var settings = new SiloSettings
        {
            Role = "worker",
            Runs = "/r",
            Threads = 3,
            Slots = 2,
            Device = "cuda:1",
            StopSeconds = 7,
            MaxSteps = 50,
            BatchMemoryMiB = 64,
            SiloPort = 11,
            GatewayPort = 12,
            PrimaryPort = 13,
            Address = "10.0.0.1",
            MetricsPort = 14,
            OrleansDashboardPort = 15,
            Redis = "redis.example:6380",
            Allow = "/a, /b",
            TlsCertificate = "node.pfx",
            TlsPassword = "secret",
            TlsTrust = "ca.pem,AB12",
        };
        var configuration = new ConfigurationBuilder().AddCommandLine(SiloKeys.Arguments(settings)).Build();

        var options = configuration.GetSection(SaliencySiloOptions.Section).Get<SaliencySiloOptions>()!;
        var endpoints = configuration.GetSection(ClusterEndpoints.Section).Get<ClusterEndpoints>()!;
        var telemetry = configuration.GetSection(TelemetrySettings.Section).Get<TelemetrySettings>()!;

        Assert.Equal((SiloRole.Worker, "/r", 3, 2, "cuda:1", 7, 50, 64), (options.Role, options.ArtifactRoot, options.TorchThreads, options.WorkerSlots,
            options.Device, options.StopSeconds, options.MaxSteps, options.BatchMemoryMiB));
        Assert.Equal(("redis", "redis.example:6380"), (options.GrainStorage, options.Redis));
        Assert.Equal(["/a", "/b"], options.AllowedRoots);
        Assert.Equal(("node.pfx", "secret"), (options.Tls.CertificatePath, options.Tls.CertificatePassword));
        Assert.Equal(["ca.pem", "AB12"], options.Tls.Trusted);
        Assert.Equal(("redis", "redis.example:6380", "10.0.0.1", 11, 12, 13), (endpoints.Clustering, endpoints.Redis, endpoints.Address,
            endpoints.SiloPort, endpoints.GatewayPort, endpoints.PrimarySiloPort));
        Assert.Equal((14, 15), (telemetry.PrometheusPort, telemetry.OrleansDashboardPort));
    }

    [Fact]
    public void Every_silo_flag_is_a_configuration_key()
    {
        var flags = typeof(SiloSettings).GetProperties().Select(p => p.GetCustomAttribute<CommandOptionAttribute>()).OfType<CommandOptionAttribute>()
            .SelectMany(o => o.LongNames).Select(name => "--" + name);
        string[] several = ["--redis", "--allow", "--tls-trust"];

        Assert.All(flags, flag => Assert.True(SiloKeys.ByFlag.ContainsKey(flag) || several.Contains(flag), $"{flag} sets no configuration key"));
    }

    [Fact]
    public void A_flag_left_out_adds_no_key_so_the_options_own_defaults_stand()
    {
        Assert.Empty(SiloKeys.Arguments(new SiloSettings()));
    }

    [Fact]
    public void A_flag_overrides_the_configuration_key_it_names_and_one_left_out_leaves_the_key_standing()
    {
        string[] configured = ["--Saliency:MaxSteps", "100", "--Saliency:BatchMemoryMiB", "32"];

        using var silo = SaliencyHosting.BuildSilo([.. configured, .. SiloKeys.Arguments(new SiloSettings { MaxSteps = 50 })],
            endpoints: ClusterEndpoints.OnFreePorts(), logLevel: LogLevel.Error);
        var options = silo.Services.GetRequiredService<IOptions<SaliencySiloOptions>>().Value;

        Assert.Equal((50, 32), (options.MaxSteps, options.BatchMemoryMiB));
    }

    [Fact]
    public void A_bad_flag_value_fails_when_the_silo_is_built_naming_its_key()
    {
        var error = Assert.Throws<ArgumentException>(() => SaliencyHosting.BuildSilo(SiloKeys.Arguments(new SiloSettings { BatchMemoryMiB = 0 }),
            endpoints: ClusterEndpoints.OnFreePorts(), logLevel: LogLevel.Error));

        Assert.Equal("Saliency:BatchMemoryMiB must be at least 1 MiB, got 0", error.Message);
    }

    [Fact]
    public void A_role_that_is_not_all_coordinator_or_worker_is_refused_naming_the_roles()
    {
        var error = Assert.Throws<ArgumentException>(() => SiloKeys.Arguments(new SiloSettings { Role = "primary" }));

        Assert.Contains("is not all, coordinator or worker", error.Message);
    }

    [Fact]
    public void The_shipped_silo_configuration_sets_no_key_to_its_default()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Binaries.RepositoryRoot, "silo", "appsettings.json"), optional: false).Build();

        Assert.Empty(Copies(configuration.GetSection(SaliencySiloOptions.Section), new SaliencySiloOptions()));
        Assert.Empty(Copies(configuration.GetSection(ClusterEndpoints.Section), new ClusterEndpoints()));
    }

    /// <summary>The keys of <paramref name="section"/> that only repeat the default of <paramref name="defaults"/>.</summary>
    static IEnumerable<string> Copies(IConfigurationSection section, object defaults) =>
        section.GetChildren().Where(key => defaults.GetType().GetProperty(key.Key)?.GetValue(defaults) is { } value &&
            string.Equals(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), key.Value, StringComparison.OrdinalIgnoreCase))
        .Select(key => key.Path);
}
