using Saliency.Attribution.Data;
using Saliency.Grains.Contracts;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// The files of a run directory as a client may fetch them: the regular files below it, listed relative to it and read in
/// bounded chunks. A symbolic link, to a file or a folder, is neither listed nor read, so nothing outside the run
/// directory is served whatever was placed inside it.
/// </summary>
internal sealed class RunDirectoryReader(string sweepId, string runDirectory)
{
    /// <summary>The most bytes one read returns, so a chunk fits in a grain message.</summary>
    public const int MaxChunk = 4 << 20;

    static readonly EnumerationOptions OwnFiles = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = true,
    };

    public IReadOnlyList<ResultFile> List() => Directory.Exists(runDirectory)
        ? Directory.EnumerateFiles(runDirectory, "*", OwnFiles)
            .Select(f => new ResultFile(Path.GetRelativePath(runDirectory, f), new FileInfo(f).Length))
            .OrderBy(f => f.Path, StringComparer.Ordinal).ToArray()
        : [];

    /// <exception cref="FileNotFoundException">The path is not a regular file inside the run directory, reached without a link.</exception>
    public async Task<byte[]> Read(string path, long offset, int count)
    {
        var root = RealPaths.Of(runDirectory);
        var full = Path.GetFullPath(Path.Combine(root, path));
        // The real path equals the folded one only when no part of the way is a link.
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || RealPaths.Of(full) != full
            || !File.Exists(full) || File.GetAttributes(full).HasFlag(FileAttributes.ReparsePoint))
            throw new FileNotFoundException($"'{path}' is not a result file of sweep {sweepId}");
        if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset), $"a read of '{path}' starts at {offset}, before the file");
        await using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[Math.Clamp(count, 0, MaxChunk)];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
        return read == buffer.Length ? buffer : buffer[..read];
    }
}
