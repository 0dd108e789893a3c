using System.Diagnostics;
using System.Reflection;

namespace Saliency.Cli.Telemetry;

/// <summary>
/// The standalone Aspire Dashboard (NuGet <c>Aspire.Dashboard.Sdk.linux-x64</c>), started as a child
/// process on 127.0.0.1: a UI for traces, metrics and logs, and an OTLP receiver (gRPC and HTTP).
/// Telemetry lives in its memory, so it lasts as long as the process. Telemetry can hold what a sweep read and where,
/// so reading it takes a token made at start: the browser logs in with it (<see cref="LoginUrl"/>) and the telemetry API
/// takes it as its API key (<c>x-api-key</c>). The OTLP receiver, on loopback, only takes telemetry in.
/// </summary>
public sealed class AspireDashboard : IDisposable
{
    readonly Process process;

    AspireDashboard(Process process, string token, int uiPort, int otlpGrpcPort, int otlpHttpPort)
    {
        this.process = process;
        Token = token;
        Url = $"http://127.0.0.1:{uiPort}";
        OtlpGrpcEndpoint = $"http://127.0.0.1:{otlpGrpcPort}";
        OtlpHttpEndpoint = $"http://127.0.0.1:{otlpHttpPort}";
    }

    public string Url { get; }

    /// <summary>The secret that the browser logs in with and the telemetry API takes as its key.</summary>
    public string Token { get; }

    /// <summary>The address that logs a browser in and opens the dashboard.</summary>
    public string LoginUrl => $"{Url}/login?t={Token}";
    public string OtlpGrpcEndpoint { get; }
    public string OtlpHttpEndpoint { get; }

    public static string ExecutablePath =>
        typeof(AspireDashboard).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "AspireDashboard")?.Value
        ?? throw new InvalidOperationException("this build does not name the Aspire Dashboard");

    public static async Task<AspireDashboard> Start(int uiPort, int otlpGrpcPort, int otlpHttpPort)
    {
        var executable = ExecutablePath;
        if (!File.Exists(executable))
            throw new FileNotFoundException($"the Aspire Dashboard is not at {executable}; restore the client (./saliency --help builds it)");
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Path.GetDirectoryName(executable)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{uiPort}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlpGrpcPort}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlpHttpPort}";
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        start.Environment["Dashboard__Frontend__AuthMode"] = "BrowserToken";
        start.Environment["Dashboard__Frontend__BrowserToken"] = token;
        start.Environment["Dashboard__Api__AuthMode"] = "ApiKey";
        start.Environment["Dashboard__Api__PrimaryApiKey"] = token;
        start.Environment["Dashboard__Otlp__AuthMode"] = "Unsecured";
        start.Environment["ASPIRE_DASHBOARD_API_ENABLED"] = "true";
        var process = Process.Start(start) ?? throw new IOException($"could not start {executable}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var dashboard = new AspireDashboard(process, token, uiPort, otlpGrpcPort, otlpHttpPort);
        await dashboard.WaitUntilServing(TimeSpan.FromSeconds(60));
        return dashboard;
    }

    async Task WaitUntilServing(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new IOException($"the Aspire Dashboard exited at start with code {process.ExitCode}");
            try
            {
                if ((await http.GetAsync(Url)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        Dispose();
        throw new TimeoutException($"the Aspire Dashboard did not serve {Url} within {limit.TotalSeconds} s");
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
