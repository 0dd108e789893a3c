using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Saliency.Testing;

/// <summary>
/// A real operating-system process a test starts: every line it writes (stdout and stderr) is kept
/// with the time it arrived, so a test can time what the process noticed and show its output when
/// something fails. Dispose kills it with all its children.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    readonly Process process;
    readonly List<(DateTime At, string Line)> lines = new();
    readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    ChildProcess(string name, Process process) => (Name, this.process) = (name, process);

    public string Name { get; }
    public int Id => process.Id;
    public bool HasExited => process.HasExited;
    public DateTime Started { get; private set; }

    public static ChildProcess Start(string name, string executable, IEnumerable<string> arguments, string workingDirectory)
    {
        if (!File.Exists(executable)) throw new FileNotFoundException($"{executable} is not built (./test.sh builds Cluster.sln)", executable);
        var start = new ProcessStartInfo(executable, arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data, standardOutput: true);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data, standardOutput: false);
        process.Exited += (_, _) => child.exited.TrySetResult();
        child.Started = DateTime.UtcNow;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    void Keep(string? line, bool standardOutput)
    {
        if (line is null) return;
        lock (lines)
        {
            lines.Add((DateTime.UtcNow, line));
            if (standardOutput) output.Add(line);
        }
    }

    readonly List<string> output = [];

    /// <summary>Every line, standard output and standard error together, in the order they came.</summary>
    public IReadOnlyList<(DateTime At, string Line)> Lines
    {
        get { lock (lines) return lines.ToArray(); }
    }

    /// <summary>The lines of standard output alone: what <c>$(saliency ...)</c> captures in a script.</summary>
    public IReadOnlyList<string> OutputLines
    {
        get { lock (lines) return output.ToArray(); }
    }

    /// <summary>SIGKILL to the process and its children, as a crash or a pulled plug would end it.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>SIGSTOP: the process stops where it is, sockets open, as a machine that stalls would.</summary>
    public void Pause() => Signal(19);

    /// <summary>SIGCONT: a paused process goes on.</summary>
    public void Continue() => Signal(18);

    void Signal(int signal)
    {
        if (!process.HasExited && kill(process.Id, signal) != 0)
            throw new InvalidOperationException($"signal {signal} to {Name} (pid {process.Id}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    /// <summary>The exit code once the process ends; throws, with its last output, if it runs past <paramref name="limit"/>.</summary>
    public async Task<int> Exit(TimeSpan limit)
    {
        if (await Task.WhenAny(exited.Task, Task.Delay(limit)) != exited.Task)
            throw new TimeoutException($"{Name} did not exit within {limit.TotalSeconds:F0} s; its output:\n{Tail(40)}");
        process.WaitForExit(); // drains the output readers
        return process.ExitCode;
    }

    /// <summary>The first line (from <paramref name="after"/> on) that <paramref name="match"/> accepts, waiting up to <paramref name="limit"/>.</summary>
    public async Task<(DateTime At, string Line)> WaitForLine(Func<string, bool> match, TimeSpan limit, DateTime? after = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            foreach (var line in Lines)
                if (line.At >= (after ?? DateTime.MinValue) && match(line.Line)) return line;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name} wrote no awaited line within {limit.TotalSeconds:F0} s; its output:\n{Tail(40)}");
            await Task.Delay(100);
        }
    }

    /// <summary>The last lines, without the placement library's per-call chatter.</summary>
    public string Tail(int count) => string.Join("\n", Lines
        .Where(l => !l.Line.Contains("Polly[", StringComparison.Ordinal) && !l.Line.TrimStart().StartsWith("Execution attempt", StringComparison.Ordinal)
                    && !l.Line.TrimStart().StartsWith("Resilience pipeline", StringComparison.Ordinal))
        .TakeLast(count).Select(l => $"{l.At:HH:mm:ss.fff} {l.Line}"));

    public void Dispose()
    {
        try { Kill(); }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}
