using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Saliency.Cluster.Hosting;

namespace Saliency.Cluster.Tests;

/// <summary>Debian's real Prometheus on 127.0.0.1, scraping one target every second.</summary>
public sealed class PrometheusServer : IDisposable
{
    readonly Process process;
    readonly string directory;
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(5) };

    PrometheusServer(Process process, string directory, string url) => (this.process, this.directory, Url) = (process, directory, url);

    public string Url { get; }

    public static async Task<PrometheusServer> Start(string target)
    {
        const string executable = "/usr/bin/prometheus";
        if (!File.Exists(executable)) throw new FileNotFoundException("prometheus is not installed (./test.sh installs Debian's prometheus)");
        var directory = Path.Combine(Path.GetTempPath(), "saliency-prometheus-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: saliency
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = ClusterEndpoints.OnFreePorts().SiloPort;
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}" })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, $"http://127.0.0.1:{port}");
        await server.WaitUntilReady();
        return server;
    }

    async Task WaitUntilReady()
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            if (process.HasExited) throw new InvalidOperationException($"prometheus exited with {process.ExitCode}");
            try { if ((await http.GetAsync($"{Url}/-/ready")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
        }
        throw new TimeoutException("prometheus did not become ready in 30 s");
    }

    /// <summary>The value of a scalar PromQL query, polled until <paramref name="until"/> holds or the time is up.</summary>
    public async Task<double?> Query(string promQl, Func<double, bool> until, TimeSpan limit)
    {
        double? value = null;
        for (var deadline = DateTime.UtcNow + limit; DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync($"{Url}/api/v1/query?query={Uri.EscapeDataString(promQl)}"));
            var result = document.RootElement.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() == 0) continue;
            value = double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            if (until(value.Value)) return value;
        }
        return value;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
        http.Dispose();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
