using Saliency.Grains.Contracts;

namespace Saliency.Cli.Cluster;

/// <summary>
/// Copies a sweep's run directory from the coordinator's machine, in chunks through the cluster. The paths come from
/// the coordinator, so every one is checked to stay inside the target folder before anything is written: a
/// coordinator that is not what it claims cannot write outside it. The target folder must be new or empty, and no file
/// is written over: results never replace what a user already has.
/// </summary>
public static class ResultDownload
{
    const int Chunk = 1 << 20;

    public static async Task<int> CopyTo(ISweepCoordinatorGrain sweep, string directory)
    {
        var root = Path.GetFullPath(directory);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            throw new IOException($"--out {directory} already holds files; name a new or empty folder, so nothing in it is overwritten");
        if (File.Exists(root)) throw new IOException($"--out {directory} is a file; name a new or empty folder");
        var files = await sweep.ListResultFiles();
        var targets = files.Select(file => (File: file, Target: Inside(root, file.Path))).ToArray();
        foreach (var (file, target) in targets)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
            for (long offset = 0; offset < file.Length;)
            {
                var bytes = await sweep.ReadResultFile(file.Path, offset, Chunk);
                if (bytes.Length == 0) break;
                await output.WriteAsync(bytes.AsMemory(0, (int)Math.Min(bytes.Length, file.Length - offset)));
                offset += bytes.Length;
            }
        }
        return files.Count;
    }

    /// <summary>Where <paramref name="path"/> lands under <paramref name="root"/>; throws, naming it, for a path that leads elsewhere.</summary>
    static string Inside(string root, string path)
    {
        var target = Path.GetFullPath(Path.Combine(root, path));
        if (path.Length == 0 || Path.IsPathRooted(path) || path.Contains('\0') || !target.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
            throw new InvalidDataException($"the coordinator named a result file '{path}' that leads outside {root}; nothing was copied");
        return target;
    }
}
