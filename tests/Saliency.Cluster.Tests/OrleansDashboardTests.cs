using Microsoft.Extensions.Logging;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Hosting;

namespace Saliency.Cluster.Tests;

public sealed class OrleansDashboardTests
{
    [Fact]
    public async Task A_silo_asked_for_it_serves_the_orleans_dashboard_on_loopback()
    {
        var port = ClusterEndpoints.OnFreePorts().SiloPort;
        var root = Path.Combine(Path.GetTempPath(), "saliency-orleans-dashboard-" + Guid.NewGuid().ToString("N")[..8]);
        using var silo = SaliencyHosting.BuildSilo([], o => o.ArtifactRoot = root, ClusterEndpoints.OnFreePorts(), LogLevel.Error,
            new TelemetrySettings { OrleansDashboardPort = port });
        await silo.StartAsync();
        using var http = new HttpClient();
        var page = await http.GetAsync($"http://127.0.0.1:{port}/");
        Assert.True(page.IsSuccessStatusCode, $"GET / answered {page.StatusCode}");
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync());
        await silo.StopAsync();
    }
}
