using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Saliency.Cli.Telemetry;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Contracts;

namespace Saliency.Cluster.Tests;

/// <summary>
/// A real Aspire Dashboard that has received the traces of one small sweep on a cluster with two
/// worker silos; the sweep's trace id is what the tests look for.
/// </summary>
public sealed class TracedSweepFixture : IAsyncLifetime
{
    public AspireDashboard Dashboard { get; private set; } = null!;
    public string TraceId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var ports = ClusterEndpoints.OnFreePorts();
        Dashboard = await AspireDashboard.Start(ports.SiloPort, ports.GatewayPort, ClusterEndpoints.OnFreePorts().SiloPort);
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(resource => resource.AddService("saliency-tests"))
            // Orleans' runtime traces (membership probes, every second or two) would push the sweep
            // out of the page's list; the sweep's own trace needs only the application source.
            .AddSource(SaliencyTelemetryExtensions.ActivitySources.Where(source => source != "Microsoft.Orleans.Runtime").ToArray())
            .AddOtlpExporter(options => options.Endpoint = new Uri(Dashboard.OtlpGrpcEndpoint))
            .Build();
        await using (var cluster = await SweepCluster.Start())
        {
            using var submit = ClientTelemetry.Source.StartActivity("sweep submit");
            TraceId = submit!.TraceId.ToString();
            var ticket = await cluster.Submit(Specs.Small("traced"));
            var progress = await cluster.WaitUntilFinished(ticket.SweepId);
            if (progress.Status != SweepStatus.Completed) throw new InvalidOperationException($"the traced sweep ended {progress.Status}: {progress.Message}");
        }
        tracing.ForceFlush();
    }

    public Task DisposeAsync()
    {
        Dashboard.Dispose();
        return Task.CompletedTask;
    }
}
