using System.Diagnostics;
using System.Text.Json.Nodes;
using Saliency.Cluster.Hosting;

namespace Saliency.Cluster.Tests;

/// <summary>
/// Debian's headless chromium driven through chromedriver's WebDriver API: it loads a page, lets its
/// scripts render (the Aspire Dashboard is a Blazor application), and reads text and screenshots.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    readonly Process driver;
    readonly HttpClient http;
    readonly string session;

    HeadlessChromium(Process driver, HttpClient http, string session) => (this.driver, this.http, this.session) = (driver, http, session);

    public static async Task<HeadlessChromium> Start()
    {
        foreach (var program in new[] { "/usr/bin/chromedriver", "/usr/bin/chromium" })
            if (!File.Exists(program)) throw new FileNotFoundException($"{program} is not installed (./test.sh installs Debian's chromium and chromium-driver)");
        var port = ClusterEndpoints.OnFreePorts().SiloPort;
        var driver = Process.Start(new ProcessStartInfo("/usr/bin/chromedriver", [$"--port={port}"])
        { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        driver.OutputDataReceived += (_, _) => { };
        driver.ErrorDataReceived += (_, _) => { };
        driver.BeginOutputReadLine();
        driver.BeginErrorReadLine();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        for (var deadline = DateTime.UtcNow.AddSeconds(20); ; await Task.Delay(200))
        {
            try { if ((await http.GetAsync("status")).IsSuccessStatusCode) break; }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline) { }
        }
        var capabilities = new JsonObject
        {
            ["capabilities"] = new JsonObject
            {
                ["alwaysMatch"] = new JsonObject
                {
                    ["goog:chromeOptions"] = new JsonObject
                    {
                        ["binary"] = "/usr/bin/chromium",
                        ["args"] = new JsonArray("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1600,1000"),
                    },
                },
            },
        };
        var created = await Send(http, HttpMethod.Post, "session", capabilities);
        return new HeadlessChromium(driver, http, created["sessionId"]!.GetValue<string>());
    }

    public Task Open(string url) => Send(http, HttpMethod.Post, $"session/{session}/url", new JsonObject { ["url"] = url });

    /// <summary>The page's visible text, once it contains <paramref name="expected"/> or the time is up.</summary>
    public async Task<string> TextContaining(string expected, TimeSpan limit)
    {
        var text = "";
        for (var deadline = DateTime.UtcNow + limit; DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            var value = await Send(http, HttpMethod.Post, $"session/{session}/execute/sync",
                new JsonObject { ["script"] = "return document.body.innerText;", ["args"] = new JsonArray() });
            text = value.GetValue<string>();
            if (text.Contains(expected, StringComparison.Ordinal)) break;
        }
        return text;
    }

    /// <summary>Runs <paramref name="script"/> (a function body that returns a value) in the page.</summary>
    public async Task<JsonNode?> Evaluate(string script) =>
        await Send(http, HttpMethod.Post, $"session/{session}/execute/sync", new JsonObject { ["script"] = script, ["args"] = new JsonArray() });

    public async Task SaveScreenshot(string path)
    {
        var value = await Send(http, HttpMethod.Get, $"session/{session}/screenshot", null);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(value.GetValue<string>()));
    }

    static async Task<JsonNode> Send(HttpClient http, HttpMethod method, string path, JsonObject? body)
    {
        // chromedriver reads a body only with a Content-Length, so no chunked JsonContent here.
        using var request = new HttpRequestMessage(method, path)
        { Content = body is null ? null : new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"chromedriver {method} {path}: {reply["value"]?["message"]}");
        return reply["value"]!;
    }

    public async ValueTask DisposeAsync()
    {
        try { await http.DeleteAsync($"session/{session}"); } catch (HttpRequestException) { }
        if (!driver.HasExited) driver.Kill(entireProcessTree: true);
        driver.Dispose();
        http.Dispose();
    }
}
