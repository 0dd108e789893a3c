using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Hosting;

namespace Saliency.Grains.Tests;

[Trait("Lane", "Unit")]
public sealed class SiloOptionsTests
{
    [Fact]
    public void A_batch_memory_budget_below_one_mib_is_refused_when_the_silo_is_built_naming_the_key()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SaliencyHosting.BuildSilo(["--Saliency:BatchMemoryMiB", "0"], null, ClusterEndpoints.OnFreePorts(), LogLevel.Error));

        Assert.Equal("Saliency:BatchMemoryMiB must be at least 1 MiB, got 0", error.Message);
    }

    [Fact]
    public void A_silo_bound_off_loopback_without_tls_refuses_to_start_and_says_why()
    {
        var error = Assert.Throws<ArgumentException>(() => SaliencyHosting.BuildSilo(
            ["--Cluster:Clustering", "redis", "--Cluster:Address", "10.1.2.3"], null, null, LogLevel.Error));

        Assert.Contains("listens on 10.1.2.3, off loopback, without TLS", error.Message);
        Assert.Contains("--insecure", error.Message);
    }

    [Fact]
    public void Insecure_lets_a_silo_off_loopback_run_without_tls()
    {
        using var host = SaliencyHosting.BuildSilo(
            ["--Cluster:Clustering", "redis", "--Cluster:Address", "10.1.2.3", "--Saliency:Insecure", "true"], null, null, LogLevel.Error);

        Assert.True(host.Services.GetRequiredService<IOptions<SaliencySiloOptions>>().Value.Insecure);
    }

    [Fact]
    public void Every_broken_rule_is_named_by_its_key_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => SaliencyHosting.BuildSilo(
            ["--Saliency:WorkerSlots", "0", "--Saliency:MaxSteps", "0", "--Saliency:WorkItemTimeout", "-00:00:01", "--Saliency:GrainStorage", "disk"],
            null, ClusterEndpoints.OnFreePorts(), LogLevel.Error));

        Assert.Equal("Saliency:WorkerSlots must be at least 1, got 0; Saliency:MaxSteps must be at least 1, got 0; " +
            "Saliency:WorkItemTimeout must be above 0, got -00:00:01; Saliency:GrainStorage must be file or redis, got 'disk'", error.Message);
    }

    [Fact]
    public async Task A_silo_made_with_AddSaliency_alone_refuses_broken_options_when_it_starts()
    {
        var endpoints = ClusterEndpoints.OnFreePorts();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort)
            .AddSaliency(options => (options.BatchMemoryMiB, options.StopSeconds) = (0, 0)));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(["Saliency:StopSeconds must be at least 1, got 0", "Saliency:BatchMemoryMiB must be at least 1 MiB, got 0"], error.Failures);
    }
}
