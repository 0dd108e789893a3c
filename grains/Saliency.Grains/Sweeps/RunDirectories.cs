using Saliency.Attribution.Data;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// Where sweeps' run directories live: each a direct child of the artifact root named by its sweep id, judged after every
/// link is followed, so no key, spec or stored state can make a coordinator write or serve files anywhere else.
/// </summary>
public sealed class RunDirectories(string artifactRoot)
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

    string RealRoot()
    {
        Directory.CreateDirectory(artifactRoot);
        return RealPaths.Of(artifactRoot);
    }
}
