namespace Saliency.Cli.Tests;

/// <summary>The repository checks out whole on every file system, case-insensitive ones (macOS, Windows) among them.</summary>
[Trait("Lane", "Unit")]
public sealed class RepositoryLayoutTests
{
    static readonly HashSet<string> Generated = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", ".git", "runs", "results", "node_modules" };

    [Fact]
    public void No_two_paths_differ_only_in_case()
    {
        var paths = Walk(Binaries.RepositoryRoot).Select(p => Path.GetRelativePath(Binaries.RepositoryRoot, p)).ToList();

        var clashes = paths.GroupBy(p => p, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" ~ ", g)).ToList();

        Assert.True(paths.Count > 100, $"only {paths.Count} paths found");
        Assert.Empty(clashes);
    }

    static IEnumerable<string> Walk(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder)) yield return file;
        foreach (var sub in Directory.EnumerateDirectories(folder).Where(d => !Generated.Contains(Path.GetFileName(d))))
        {
            yield return sub;
            foreach (var inner in Walk(sub)) yield return inner;
        }
    }
}
