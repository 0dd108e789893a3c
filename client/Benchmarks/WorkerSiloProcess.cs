using System.Diagnostics;
using System.Globalization;
using Saliency.Cluster.Hosting;

namespace Saliency.Cli.Benchmarks;

/// <summary>A worker silo in a process of its own (this executable's <c>silo --role worker</c>), joined to a silo of this machine.</summary>
public sealed class WorkerSiloProcess : IDisposable
{
    readonly Process process;

    WorkerSiloProcess(Process process) => this.process = process;

    public static WorkerSiloProcess Start(ClusterEndpoints primary, string runs, int threads, int slots)
    {
        var own = ClusterEndpoints.OnFreePorts();
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            ArgumentList = { "silo", "--role", "worker", "--silo-port", Text(own.SiloPort), "--gateway-port", Text(own.GatewayPort),
                "--primary-port", Text(primary.SiloPort), "--runs", runs, "--threads", Text(threads), "--slots", Text(slots),
                // It serves the benchmark's own embedded silo, on loopback, and reads what that silo reads.
                "--allow", "/" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerSiloProcess(process);
    }

    static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
