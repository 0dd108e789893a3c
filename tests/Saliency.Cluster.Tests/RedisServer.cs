using System.Diagnostics;
using System.Net.Sockets;
using Saliency.Grains.Hosting;

namespace Saliency.Cluster.Tests;

/// <summary>Debian's real redis-server on 127.0.0.1 and a free port, with its data in a temporary folder.</summary>
public sealed class RedisServer : IDisposable
{
    readonly Process process;
    readonly string directory;

    RedisServer(Process process, string directory, int port) => (this.process, this.directory, Port) = (process, directory, port);

    public int Port { get; }
    public string Endpoint => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> Start()
    {
        const string executable = "/usr/bin/redis-server";
        if (!File.Exists(executable)) throw new FileNotFoundException("redis-server is not installed (./test.sh installs Debian's redis-server)");
        var directory = Path.Combine(Path.GetTempPath(), "saliency-redis-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var port = ClusterEndpoints.OnFreePorts().SiloPort;
        var start = new ProcessStartInfo(executable, ["--bind", "127.0.0.1", "--port", port.ToString(), "--dir", directory, "--appendonly", "yes", "--save", ""])
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
                return new RedisServer(process, directory, port);
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
