using System.Globalization;

namespace Saliency.Cluster.Tests;

/// <summary>
/// The bad-input corpus (<c>tests/bad-input</c>): every spec there is run by the built command line as a user would run
/// it, and must end with the exit code and the message <c>cases.tsv</c> gives it. A refused spec starts nothing; one that
/// runs fails every work item at its first attempt, naming the file, field or value.
/// </summary>
public sealed class BadInputCorpusTests : IDisposable
{
    static readonly string Corpus = Path.Combine(Binaries.RepositoryRoot, "tests", "bad-input");
    readonly string runs = Path.Combine(Path.GetTempPath(), "saliency-bad-input-" + Guid.NewGuid().ToString("N")[..8]);

    public static TheoryData<string, int, string, string> Cases()
    {
        var cases = new TheoryData<string, int, string, string>();
        foreach (var line in File.ReadLines(Path.Combine(Corpus, "cases.tsv")).Where(l => l.Length > 0 && l[0] != '#'))
        {
            var fields = line.Split('\t');
            cases.Add(fields[0], int.Parse(fields[1], CultureInfo.InvariantCulture), fields[2], fields.Length > 3 ? fields[3] : "");
        }
        return cases;
    }

    [Fact]
    public void Every_file_of_the_corpus_has_its_case_and_there_are_thirty_at_least()
    {
        var listed = Cases().Select(c => (string)c[0]).ToList();
        Assert.Equal(Directory.GetFiles(Corpus, "*.yaml").Select(Path.GetFileName).Order(), listed.Order());
        Assert.True(listed.Count >= 30, $"{listed.Count} cases");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gives_its_exact_error_and_exit_code(string file, int exitCode, string error, string options)
    {
        using var run = ChildProcess.Start(file, Binaries.Cli,
            ["run", file, "--runs", runs, "--threads", "1", .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)], Corpus);

        var code = await run.Exit(TimeSpan.FromSeconds(120));

        // The console wraps long lines at spaces when it writes to a pipe.
        var output = string.Join(' ', run.Lines.Select(l => l.Line.Trim()));
        Assert.True(code == exitCode, $"exit code {code}, expected {exitCode}; output:\n{run.Tail(20)}");
        Assert.Contains(error, output);
        Assert.DoesNotContain("(Parameter '", output);
        // The corpus's private file holds this; no error may quote a file's content.
        Assert.DoesNotContain("TOPSECRET", output);
        // Every spec of the corpus is named "bad", so a run directory would be bad-DATE-TIME.
        if (exitCode == 2) Assert.False(Directory.Exists(runs) && Directory.GetDirectories(runs, "bad-*").Length > 0, "a refused spec left a run directory");
        else Assert.DoesNotContain("attempts)", output);
    }

    /// <summary>Too big to keep in the repository: made here, a valid spec padded with comments past the limit.</summary>
    [Fact]
    public async Task A_huge_spec_file_is_refused_unread()
    {
        Directory.CreateDirectory(runs);
        var huge = Path.Combine(runs, "spec-huge.yaml");
        await File.WriteAllTextAsync(huge, "name: bad\ndata: fashion-mnist:test:0-3\nmethods: {gradient: {}}\n" + string.Concat(Enumerable.Repeat("# padding\n", 300_000)));
        using var run = ChildProcess.Start("huge", Binaries.Cli, ["run", huge, "--runs", runs, "--threads", "1"], Corpus);

        var code = await run.Exit(TimeSpan.FromSeconds(60));

        Assert.Equal(2, code);
        Assert.Contains("spec-huge.yaml: the file is 2.9 MiB; a sweep spec is at most 1 MiB", string.Join(' ', run.Lines.Select(l => l.Line.Trim())));
    }

    public void Dispose()
    {
        try { Directory.Delete(runs, recursive: true); } catch (IOException) { }
    }
}
