namespace Saliency.Cli.Tests;

/// <summary>
/// The repository checks out whole on every file system, case-insensitive ones (macOS, Windows) among them, and its code
/// keeps the line length .editorconfig states.
/// </summary>
[Trait("Lane", "Unit")]
public sealed class RepositoryLayoutTests
{
    static readonly HashSet<string> Generated = new(StringComparer.OrdinalIgnoreCase)
    {
        "bin", "obj", "bin-cuda", "obj-cuda", ".git", "runs", "results", "node_modules",
    };

    [Fact]
    public void No_two_paths_differ_only_in_case()
    {
        var paths = Walk(Binaries.RepositoryRoot).Select(p => Path.GetRelativePath(Binaries.RepositoryRoot, p)).ToList();

        var clashes = paths.GroupBy(p => p, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" ~ ", g)).ToList();

        Assert.True(paths.Count > 100, $"only {paths.Count} paths found");
        Assert.Empty(clashes);
    }

    [Fact]
    public void No_line_of_code_is_longer_than_editorconfig_allows()
    {
        var limit = MaxLineLength(File.ReadAllLines(Path.Combine(Binaries.RepositoryRoot, ".editorconfig")));
        var files = Walk(Binaries.RepositoryRoot).Where(p => p.EndsWith(".cs", StringComparison.Ordinal) && File.Exists(p)).ToList();

        var overLimit = files.SelectMany(file => File.ReadLines(file)
                .Select((line, index) => (line, number: index + 1))
                .Where(l => l.line.Length > limit)
                .Select(l => $"{Path.GetRelativePath(Binaries.RepositoryRoot, file)}:{l.number} ({l.line.Length} characters)"))
            .ToList();

        Assert.True(files.Count > 100, $"only {files.Count} C# files found");
        Assert.True(overLimit.Count == 0, $"lines over {limit} characters:\n{string.Join("\n", overLimit)}");
    }

    /// <summary>The max_line_length of .editorconfig's [*.cs] section.</summary>
    static int MaxLineLength(IEnumerable<string> editorConfig)
    {
        var section = "";
        foreach (var line in editorConfig.Select(l => l.Trim()))
        {
            if (line.StartsWith('[')) section = line;
            else if (section == "[*.cs]" && line.Split('=', 2) is [var key, var value] && key.Trim() == "max_line_length")
                return int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidDataException(".editorconfig states no max_line_length for [*.cs]");
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
