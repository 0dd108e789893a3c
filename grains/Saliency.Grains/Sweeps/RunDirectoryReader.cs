namespace Saliency.Grains.Sweeps;

/// <summary>The files of a run directory as a client may fetch them: listed relative to it, and read in bounded chunks from inside it alone.</summary>
public sealed class RunDirectoryReader(string sweepId, string runDirectory)
{
    /// <summary>The most bytes one read returns, so a chunk fits in a grain message.</summary>
    public const int MaxChunk = 4 << 20;

    public IReadOnlyList<ResultFile> List() => Directory.Exists(runDirectory)
        ? Directory.EnumerateFiles(runDirectory, "*", SearchOption.AllDirectories)
            .Select(f => new ResultFile(Path.GetRelativePath(runDirectory, f), new FileInfo(f).Length))
            .OrderBy(f => f.Path, StringComparer.Ordinal).ToArray()
        : [];

    /// <exception cref="FileNotFoundException">The path is not a file inside the run directory.</exception>
    public async Task<byte[]> Read(string path, long offset, int count)
    {
        var root = Path.GetFullPath(runDirectory);
        var full = Path.GetFullPath(Path.Combine(root, path));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
            throw new FileNotFoundException($"'{path}' is not a result file of sweep {sweepId}");
        await using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[Math.Clamp(count, 0, MaxChunk)];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
        return read == buffer.Length ? buffer : buffer[..read];
    }
}
