using System.Text.Json;

namespace Saliency.Grains.Contracts;

/// <summary>
/// The file in a run directory that names its sweep, so <c>saliency run --resume DIR</c> finds it, beside the spec as
/// submitted: written by the coordinator, read by the client, so the layout lives with the contracts both reference.
/// </summary>
public sealed record RunDirectoryFile(string SweepId, string SweepName, string SpecFile)
{
    public const string FileName = "sweep.json";
    public const string SpecFileName = "spec.yaml";

    /// <summary>Makes the run directory with the spec's text and this file in it.</summary>
    public async Task Create(string directory, string specText)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, SpecFileName), specText);
        await File.WriteAllTextAsync(Path.Combine(directory, FileName), JsonSerializer.Serialize(this));
    }

    /// <summary>The sweep a run directory holds, and its spec's text.</summary>
    /// <exception cref="FileNotFoundException">The folder is not a run directory.</exception>
    public static (RunDirectoryFile Run, string SpecText) Read(string directory)
    {
        var file = Path.Combine(directory, FileName);
        if (!File.Exists(file)) throw new FileNotFoundException($"'{directory}' is not a run directory: it has no {FileName}");
        var run = JsonSerializer.Deserialize<RunDirectoryFile>(File.ReadAllText(file)) ?? throw new InvalidDataException($"{file} is empty");
        return (run, File.ReadAllText(Path.Combine(directory, SpecFileName)));
    }
}
