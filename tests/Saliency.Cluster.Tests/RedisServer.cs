using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Saliency.Cluster.Hosting;

namespace Saliency.Cluster.Tests;

/// <summary>
/// Debian's real redis-server on 127.0.0.1 and a free port, with its data in a temporary folder and
/// the append-only file on, so it can be killed and started again on the same port with its data.
/// </summary>
public sealed class RedisServer : IDisposable
{
    const string Executable = "/usr/bin/redis-server";
    readonly string directory;
    Process process;

    RedisServer(Process process, string directory, int port) => (this.process, this.directory, Port) = (process, directory, port);

    public int Port { get; }
    public string Endpoint => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> Start()
    {
        if (!File.Exists(Executable)) throw new FileNotFoundException("redis-server is not installed (./test.sh installs Debian's redis-server)");
        var directory = Path.Combine(Path.GetTempPath(), "saliency-redis-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var port = ClusterEndpoints.OnFreePorts().SiloPort;
        return new RedisServer(await Launch(port, directory), directory, port);
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would; what it acknowledged is in its append-only file.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>Starts the server again on the same port and data folder; it reloads its append-only file.</summary>
    public async Task StartAgain()
    {
        Kill();
        process.Dispose();
        process = await Launch(Port, directory);
    }

    static async Task<Process> Launch(int port, string directory)
    {
        var start = new ProcessStartInfo(Executable, ["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", directory, "--appendonly", "yes", "--save", ""])
        { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var deadline = DateTime.UtcNow.AddSeconds(15); ; await Task.Delay(100))
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return process;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited) { }
        }
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
