using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Saliency.Cli.Benchmarks;

/// <summary>
/// A benchmark row measured in a fresh process of this executable, so its peak memory and its counters are its own:
/// the child prints one line, a prefix and the row as JSON, and the parent reads it back.
/// </summary>
public static class FreshProcess
{
    public static async Task<T> Measure<T>(IEnumerable<string> arguments, string resultPrefix, string what, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        var error = child.StandardError.ReadToEndAsync(cancellation);
        var output = await child.StandardOutput.ReadToEndAsync(cancellation);
        await child.WaitForExitAsync(cancellation);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(resultPrefix, StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"{what} failed (exit {child.ExitCode}): {(await error).Trim()}\n{output.Trim()}");
        return JsonSerializer.Deserialize<T>(line[resultPrefix.Length..])!;
    }

    /// <summary>What the child prints for <see cref="Measure{T}"/> to read.</summary>
    public static void Report<T>(string resultPrefix, T row) => Console.WriteLine(resultPrefix + JsonSerializer.Serialize(row));

    /// <summary>A comma-separated list of positive whole numbers (thousands separators allowed), as benchmarks take sizes.</summary>
    public static int[] PositiveNumbers(string text, string option) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(item => int.TryParse(item, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
                : throw new ArgumentException($"{option}: '{item}' is not a positive whole number"))
            .ToArray();
}
