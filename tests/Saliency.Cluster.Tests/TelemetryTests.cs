using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Saliency.Cli.Sweeps;
using Saliency.Grains;
using Saliency.Grains.Hosting;
using Saliency.Grains.Telemetry;

namespace Saliency.Cluster.Tests;

/// <summary>Traces of a sweep, read back from a real Aspire Dashboard through its telemetry API.</summary>
public sealed class TelemetryTests
{
    sealed record Span(string TraceId, string SpanId, string? ParentSpanId, string Name, string Scope, IReadOnlyDictionary<string, string> Attributes);

    [Fact]
    public async Task A_sweep_on_two_workers_is_one_trace_from_the_client_through_the_coordinator_to_both_workers()
    {
        var ports = ClusterEndpoints.OnFreePorts();
        using var dashboard = await AspireDashboard.Start(ports.SiloPort, ports.GatewayPort, ClusterEndpoints.OnFreePorts().SiloPort);
        var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(SaliencyTelemetryExtensions.ActivitySources)
            .AddOtlpExporter(options => options.Endpoint = new Uri(dashboard.OtlpGrpcEndpoint))
            .Build();

        string traceId;
        await using (var cluster = await SweepCluster.Start())
        {
            using (var submit = ClientTelemetry.Source.StartActivity("sweep submit"))
            {
                traceId = submit!.TraceId.ToString();
                var ticket = await cluster.Submit(Specs.Small("traced"));
                Assert.Equal(SweepStatus.Completed, (await cluster.WaitUntilFinished(ticket.SweepId)).Status);
            }
            tracing.ForceFlush();
        }
        tracing.Dispose();

        var trace = await SpansOf(dashboard, traceId, until: spans => spans.Count(s => s.Name == "compute shard") >= 9);
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        Assert.Single(trace, s => s.ParentSpanId is null);
        Assert.All(trace.Where(s => s.ParentSpanId is not null), s => Assert.Contains(s.ParentSpanId!, ids));
        Assert.Contains(trace, s => s.Name == "sweep submit" && s.Scope == ClientTelemetry.SourceName);
        Assert.Contains(trace, s => s.Name == "ISweepCoordinatorGrain/Start");
        Assert.Contains(trace, s => s.Name == "dispatch" && s.Scope == SweepTelemetry.SourceName);
        var computeShards = trace.Where(s => s.Name == "compute shard").ToList();
        Assert.Equal(9, computeShards.Count);
        Assert.Equal(2, computeShards.Select(s => s.Attributes["saliency.worker"]).Distinct().Count());
        Assert.Contains(trace, s => s.Name == "attribute ig" && computeShards.Any(c => c.SpanId == s.ParentSpanId));
    }

    static async Task<IReadOnlyList<Span>> SpansOf(AspireDashboard dashboard, string traceId, Func<IReadOnlyList<Span>, bool> until)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<Span> spans = [];
        while (DateTime.UtcNow < deadline)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync($"{dashboard.Url}/api/telemetry/spans?limit=10000"));
            spans = Parse(document.RootElement.GetProperty("data")).Where(s => s.TraceId == traceId).ToList();
            if (until(spans)) return spans;
            await Task.Delay(500);
        }
        return spans;
    }

    static IEnumerable<Span> Parse(JsonElement data)
    {
        foreach (var resource in data.GetProperty("resourceSpans").EnumerateArray())
        foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
        {
            var scopeName = scope.GetProperty("scope").GetProperty("name").GetString()!;
            foreach (var span in scope.GetProperty("spans").EnumerateArray())
            {
                var attributes = span.TryGetProperty("attributes", out var list)
                    ? list.EnumerateArray().ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("value").ToString())
                    : new Dictionary<string, string>();
                yield return new Span(span.GetProperty("traceId").GetString()!, span.GetProperty("spanId").GetString()!,
                    span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() : null,
                    span.GetProperty("name").GetString()!, scopeName, attributes);
            }
        }
    }
}
