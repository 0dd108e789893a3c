using System.Text;
using System.Text.RegularExpressions;

namespace Saliency.Cli.Tests;

/// <summary>Every relative link of the README and the docs leads to a file that exists, and every #anchor to a heading in it.</summary>
[Trait("Lane", "Unit")]
public sealed partial class DocumentationLinkTests
{
    public static TheoryData<string> Pages()
    {
        var root = Binaries.RepositoryRoot;
        var pages = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
            .Concat(Directory.GetFiles(Path.Combine(root, "client"), "*.md", SearchOption.AllDirectories))
            .Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal);
        return new TheoryData<string>(pages);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_resolves(string page)
    {
        var path = Path.Combine(Binaries.RepositoryRoot, page);
        var text = WithoutCode(File.ReadAllText(path));
        var dead = new List<string>();
        foreach (Match link in MarkdownLink().Matches(text))
        {
            var target = link.Groups["target"].Value;
            if (target.Contains("://") || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
            var (file, anchor) = target.Split('#', 2) is [var f, var a] ? (f, a) : (target, null);
            var resolved = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file));
            if (!File.Exists(resolved) && !Directory.Exists(resolved)) dead.Add($"{target}: no such file");
            else if (anchor is not null && resolved.EndsWith(".md", StringComparison.Ordinal) && !Anchors(resolved).Contains(anchor))
                dead.Add($"{target}: no heading with anchor #{anchor}");
        }
        Assert.True(dead.Count == 0, $"{page}: {string.Join("; ", dead)}");
    }

    /// <summary>Headings' anchors as GitHub makes them: lower case, punctuation and symbols dropped, spaces to hyphens.</summary>
    static HashSet<string> Anchors(string path)
    {
        var anchors = new HashSet<string>();
        foreach (var line in WithoutCode(File.ReadAllText(path)).Split('\n'))
        {
            if (!line.StartsWith('#')) continue;
            var heading = line.TrimStart('#').Trim().Replace("`", "");
            var slug = new StringBuilder();
            foreach (var c in heading.ToLowerInvariant())
                if (char.IsLetterOrDigit(c) || c is '-' or '_') slug.Append(c);
                else if (c == ' ') slug.Append('-');
            anchors.Add(slug.ToString());
        }
        return anchors;
    }

    static string WithoutCode(string markdown) => FencedCode().Replace(markdown, "");

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^```[\s\S]*?^```", RegexOptions.Multiline)]
    private static partial Regex FencedCode();
}
