using Saliency.Attribution.Data;
using Saliency.Grains.Contracts;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// Where sweeps' run directories live: each a direct child of the artifact root named by its sweep id, judged after every
/// link is followed, so no key, spec or stored state can make a coordinator write or serve files anywhere else.
/// </summary>
internal sealed class RunDirectories(string artifactRoot)
{
    /// <summary>The run directory of a sweep: <c>ARTIFACT_ROOT/ID</c>, for a valid id, as a real path.</summary>
    /// <exception cref="ArgumentException">The id is not one the directory grain mints.</exception>
    public string Of(string sweepId) => Path.Combine(RealRoot(), SweepIds.Require(sweepId));

    /// <summary>Makes a new sweep's run directory, or takes the one a failed start left, and proves it is where it should be.</summary>
    /// <exception cref="UnauthorizedAccessException">It exists as a link, or leads outside the artifact root.</exception>
    public string Create(string sweepId)
    {
        var directory = Of(sweepId);
        Directory.CreateDirectory(directory);
        return Require(sweepId, directory);
    }

    /// <summary>
    /// <paramref name="directory"/> as read back from stored state, checked again: it must be this sweep's own, with no
    /// link on the way, below this silo's artifact root.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">It is not.</exception>
    public string Require(string sweepId, string directory)
    {
        var expected = Of(sweepId);
        if (RealPaths.Of(directory) != expected)
            throw new UnauthorizedAccessException($"sweep {sweepId}'s run directory is not {expected}, its place below this silo's artifact root");
        return expected;
    }

    /// <summary>
    /// <see cref="Require"/>, and the run directory must be here, as admission made it (with its <c>sweep.json</c>):
    /// what a coordinator about to restore a sweep checks. Missing, the sweep ran on another machine's coordinator (or
    /// its folder was removed), and restoring it here would compute every work item again into a new log.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">It is not here.</exception>
    public string RequirePresent(string sweepId, string directory)
    {
        var expected = Require(sweepId, directory);
        if (!File.Exists(Path.Combine(expected, RunDirectoryFile.FileName)))
            throw new DirectoryNotFoundException($"sweep {sweepId}'s run directory {expected} is not on this machine (no {RunDirectoryFile.FileName}): " +
                "its coordinator ran on another machine, or the folder was removed; it is not restored here, which would compute it all again");
        return expected;
    }

    string RealRoot()
    {
        Directory.CreateDirectory(artifactRoot);
        return RealPaths.Of(artifactRoot);
    }
}
