using System.Text.Json;
using Saliency.Cli.Telemetry;
using Saliency.Cluster.Hosting;
using Saliency.Grains.Telemetry;

namespace Saliency.Cluster.Tests;

/// <summary>Traces of a sweep, read back from a real Aspire Dashboard through its telemetry API.</summary>
public sealed class TelemetryTests(TracedSweepFixture sweep) : IClassFixture<TracedSweepFixture>
{
    sealed record Span(string TraceId, string SpanId, string? ParentSpanId, string Name, string Scope, IReadOnlyDictionary<string, string> Attributes);

    [Fact]
    public async Task A_sweep_on_two_workers_is_one_trace_from_the_client_through_the_coordinator_to_both_workers()
    {
        var trace = await SpansOf(sweep.Dashboard, sweep.TraceId, until: spans => spans.Count(s => s.Name == "compute shard") >= 9);
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

    [Fact]
    public async Task The_dashboards_telemetry_is_refused_without_its_token()
    {
        using var http = new HttpClient();
        var anonymous = await http.GetAsync($"{sweep.Dashboard.Url}/api/telemetry/spans?limit=1");
        http.DefaultRequestHeaders.Add("x-api-key", "not-the-token");
        var wrongKey = await http.GetAsync($"{sweep.Dashboard.Url}/api/telemetry/spans?limit=1");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrongKey.StatusCode);
    }

    [Fact]
    public async Task The_dashboards_traces_page_lists_the_sweep_in_headless_chromium()
    {
        await SpansOf(sweep.Dashboard, sweep.TraceId, until: spans => spans.Any(s => s.Name == "sweep submit"));
        var artifacts = Environment.GetEnvironmentVariable("SALIENCY_TEST_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, "aspire-traces.png");
        await using var browser = await HeadlessChromium.Start();
        await browser.Open(sweep.Dashboard.LoginUrl);
        await browser.Open($"{sweep.Dashboard.Url}/traces");
        var text = await browser.TextContaining("sweep submit", TimeSpan.FromSeconds(30));
        await browser.SaveScreenshot(screenshot);
        Assert.Contains("sweep submit", text);

        await browser.Open($"{sweep.Dashboard.Url}/traces/detail/{sweep.TraceId}");
        var detail = await browser.TextContaining("compute shard", TimeSpan.FromSeconds(30));
        await browser.SaveScreenshot(Path.Combine(artifacts, "aspire-sweep-trace.png"));
        Assert.Contains("compute shard", detail);
        Assert.True(new FileInfo(screenshot).Length > 10_000, $"{screenshot} is missing or empty");
    }

    static async Task<IReadOnlyList<Span>> SpansOf(AspireDashboard dashboard, string traceId, Func<IReadOnlyList<Span>, bool> until)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("x-api-key", dashboard.Token);
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
