namespace Saliency.Attribution.Data;

/// <summary>
/// The folders a silo reads specs' files from. A path is judged by where it really leads — made absolute, <c>..</c>
/// folded, every symbolic link followed — so neither <c>..</c> nor a link can reach outside, and what is opened later is
/// the real path that was judged, not the string that was given, so a link swapped in afterwards is not followed to a
/// new place. A folder's images are each judged, not only the folder. No roots means no restriction (<see cref="Anywhere"/>,
/// an embedded silo on its user's own machine).
/// </summary>
public sealed class AllowedRoots(IReadOnlyList<string> roots)
{
    readonly IReadOnlyList<string> resolved = roots.Select(RealPaths.Of).ToArray();

    /// <summary>No restriction: every path is admitted as given.</summary>
    public static AllowedRoots Anywhere { get; } = new([]);

    public bool Restricted => resolved.Count > 0;

    /// <summary>The real path to open for <paramref name="path"/>, which must lead inside a root.</summary>
    /// <exception cref="UnauthorizedAccessException">It leads outside, naming the path and the allowed roots.</exception>
    public string Admit(string path, string what)
    {
        if (!Restricted) return path;
        var real = RealPaths.Of(path);
        if (resolved.Any(root => RealPaths.IsWithin(real, root))) return real;
        throw new UnauthorizedAccessException(
            $"{what} '{path}' leads to {real}, outside this silo's allowed roots ({string.Join(", ", resolved)})");
    }

    /// <summary>Throws as <see cref="Admit"/> does, for a path only checked here.</summary>
    public void Require(string path, string what) => Admit(path, what);
}
