using Saliency.Grains;

namespace Saliency.Cli.Sweeps;

/// <summary>Copies a sweep's run directory from the coordinator's machine, in chunks through the cluster.</summary>
public static class ResultDownload
{
    const int Chunk = 1 << 20;

    public static async Task<int> CopyTo(ISweepCoordinatorGrain sweep, string directory)
    {
        var files = await sweep.ListResultFiles();
        foreach (var file in files)
        {
            var target = Path.GetFullPath(Path.Combine(directory, file.Path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using var output = new FileStream(target, FileMode.Create, FileAccess.Write);
            for (long offset = 0; offset < file.Length;)
            {
                var bytes = await sweep.ReadResultFile(file.Path, offset, Chunk);
                if (bytes.Length == 0) break;
                await output.WriteAsync(bytes);
                offset += bytes.Length;
            }
        }
        return files.Count;
    }
}
