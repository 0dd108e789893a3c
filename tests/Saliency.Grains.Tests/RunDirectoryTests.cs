using Saliency.Grains.Sweeps;

namespace Saliency.Grains.Tests;

/// <summary>Sweep ids, the run directories they name, and the files a client may fetch from one.</summary>
[Trait("Lane", "Unit")]
public sealed class RunDirectoryTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "saliency-rundirs-" + Guid.NewGuid().ToString("N")[..8]);
    readonly string outside;

    public RunDirectoryTests() => outside = Directory.CreateDirectory(Path.Combine(root, "outside")).FullName;

    string Artifacts => Path.Combine(root, "runs");

    [Fact]
    public void A_minted_id_is_valid_and_a_second_in_the_same_second_gets_a_counter()
    {
        var now = new DateTimeOffset(2026, 12, 7, 3, 15, 2, TimeSpan.Zero);
        var first = SweepIds.Mint("demo", now, _ => false);
        var second = SweepIds.Mint("demo", now, id => id == first);

        Assert.Equal(("demo-20261207-031502", "demo-20261207-031502-2"), (first, second));
        Assert.True(SweepIds.IsValid(first) && SweepIds.IsValid(second));
    }

    [Theory]
    [InlineData("/root/.ssh")]
    [InlineData("..")]
    [InlineData("../demo-20261207-031502")]
    [InlineData("demo-20261207-031502/..")]
    [InlineData("demo")]
    [InlineData("")]
    [InlineData("demo-20261207-031502\n")]
    public void Any_key_the_directory_would_not_mint_is_refused(string id) =>
        Assert.Contains("is not a sweep id", Assert.Throws<ArgumentException>(() => new RunDirectories(Artifacts).Of(id)).Message);

    [Fact]
    public void A_run_directory_is_a_child_of_the_artifact_root_named_by_its_id()
    {
        var directory = new RunDirectories(Artifacts).Create("demo-20261207-031502");

        Assert.Equal(Path.Combine(Path.GetFullPath(Artifacts), "demo-20261207-031502"), directory);
        Assert.True(Directory.Exists(directory));
    }

    [Fact]
    public void A_run_directory_that_is_a_link_is_refused_however_it_got_there()
    {
        Directory.CreateDirectory(Artifacts);
        Directory.CreateSymbolicLink(Path.Combine(Artifacts, "demo-20261207-031502"), outside);

        Assert.Throws<UnauthorizedAccessException>(() => new RunDirectories(Artifacts).Create("demo-20261207-031502"));
    }

    [Fact]
    public void A_stored_run_directory_elsewhere_is_refused_when_read_back() =>
        Assert.Throws<UnauthorizedAccessException>(() => new RunDirectories(Artifacts).Require("demo-20261207-031502", outside));

    [Fact]
    public async Task A_run_directory_made_on_another_machine_is_not_taken_for_this_ones_and_one_made_here_is()
    {
        // Another machine's coordinator admitted the sweep: here, under the same artifact root, there is nothing.
        var error = Assert.Throws<DirectoryNotFoundException>(() => new RunDirectories(Artifacts).RequirePresent("demo-20261207-031502", Path.Combine(Artifacts, "demo-20261207-031502")));
        Assert.Contains("sweep demo-20261207-031502's run directory", error.Message);
        Assert.Contains("not on this machine", error.Message);

        var directory = new RunDirectories(Artifacts).Create("demo-20261207-031502");
        await new Saliency.Grains.Contracts.RunDirectoryFile("demo-20261207-031502", "demo", "demo.yaml").Create(directory, "name: demo\n");
        Assert.Equal(directory, new RunDirectories(Artifacts).RequirePresent("demo-20261207-031502", directory));
    }

    [Fact]
    public async Task A_link_inside_a_run_directory_is_neither_listed_nor_read()
    {
        var directory = new RunDirectories(Artifacts).Create("demo-20261207-031502");
        await File.WriteAllTextAsync(Path.Combine(directory, "summary.csv"), "trial,score\n");
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.txt"), "TOPSECRET-1234");
        File.CreateSymbolicLink(Path.Combine(directory, "secret.txt"), Path.Combine(outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(directory, "maps"), outside);
        var reader = new RunDirectoryReader("demo-20261207-031502", directory);

        Assert.Equal(["summary.csv"], reader.List().Select(f => f.Path));
        foreach (var path in new[] { "secret.txt", "maps/secret.txt", "../outside/secret.txt" })
            await Assert.ThrowsAsync<FileNotFoundException>(() => reader.Read(path, 0, 100));
        Assert.Equal("trial,score\n"u8.ToArray(), await reader.Read("summary.csv", 0, 100));
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
