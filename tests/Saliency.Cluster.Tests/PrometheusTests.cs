using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;

namespace Saliency.Cluster.Tests;

public sealed class PrometheusTests
{
    [Fact]
    public async Task Prometheus_scraping_a_silo_counts_each_trial_image_result_once()
    {
        var root = Path.Combine(Path.GetTempPath(), "saliency-metrics-" + Guid.NewGuid().ToString("N")[..8]);
        var metricsPort = ClusterEndpoints.OnFreePorts().SiloPort;
        using var silo = SaliencyHosting.BuildSilo([], o => { o.ArtifactRoot = root; o.TorchThreads = 2; },
            ClusterEndpoints.OnFreePorts(), LogLevel.Error, new TelemetrySettings { PrometheusPort = metricsPort });
        await silo.StartAsync();
        using var prometheus = await PrometheusServer.Start($"127.0.0.1:{metricsPort}");

        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        var ticket = await grains.GetGrain<ISweepDirectoryGrain>(0).Submit(new SweepSubmission(Specs.Small("scraped"), "scraped.yaml"));
        var sweep = grains.GetGrain<ISweepCoordinatorGrain>(ticket.SweepId);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!(await sweep.GetProgress()).Finished)
        {
            Assert.True(DateTime.UtcNow < deadline, $"sweep {ticket.SweepId} did not finish within 2 minutes");
            await Task.Delay(200);
        }
        var results = (await sweep.GetProgress()).Trials.Sum(t => t.Images);

        var counted = await prometheus.Query($"sum(saliency_images_attributed_total{{saliency_sweep=\"{ticket.SweepId}\"}})",
            value => value >= results, TimeSpan.FromSeconds(60));
        Assert.Equal(3 * 24, results);
        Assert.Equal(results, counted);
        await silo.StopAsync();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
