using Saliency.Cli.Cluster;
using Saliency.Grains.Contracts;

namespace Saliency.Cli.Tests;

/// <summary><c>saliency results --out DIR</c> against a coordinator that lies about its files.</summary>
[Trait("Lane", "Unit")]
public sealed class ResultDownloadTests
{
    /// <summary>A coordinator that serves the files it is given, whatever their paths; it answers nothing else.</summary>
    sealed class HostileCoordinator(IReadOnlyDictionary<string, byte[]> files, long? claimedLength = null) : ISweepCoordinatorGrain
    {
        public Task<IReadOnlyList<ResultFile>> ListResultFiles() =>
            Task.FromResult<IReadOnlyList<ResultFile>>(files.Select(f => new ResultFile(f.Key, claimedLength ?? f.Value.Length)).ToArray());

        public Task<byte[]> ReadResultFile(string path, long offset, int count) =>
            Task.FromResult(offset >= files[path].Length ? [] : files[path][(int)offset..(int)Math.Min(files[path].Length, offset + count)]);

        public Task<SweepTicket> Start(SweepSubmission submission) => throw new NotSupportedException();
        public Task<SweepProgress> Resume() => throw new NotSupportedException();
        public Task<SweepProgress> Stop() => throw new NotSupportedException();
        public Task<SweepProgress> Cancel() => throw new NotSupportedException();
        public Task<SweepProgress> GetProgress() => throw new NotSupportedException();
        public Task<bool> Exists() => Task.FromResult(true);
        public Task ReportDone(WorkReport report) => throw new NotSupportedException();
        public Task ReportFailed(WorkFailure failure) => throw new NotSupportedException();
        public Task ReportProgress(WorkProgress progress) => throw new NotSupportedException();
    }

    static string Folder() => Directory.CreateTempSubdirectory("saliency-download-").FullName;

    [Theory]
    [InlineData("../escaped.txt")]
    [InlineData("maps/../../escaped.txt")]
    [InlineData("/tmp/saliency-download-absolute.txt")]
    [InlineData("")]
    public async Task A_path_that_leads_outside_the_folder_is_refused_and_nothing_is_written(string hostile)
    {
        var parent = Folder();
        var target = Path.Combine(parent, "out");
        var coordinator = new HostileCoordinator(new Dictionary<string, byte[]> { ["summary.csv"] = "a,b\n"u8.ToArray(), [hostile] = "owned"u8.ToArray() });

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ResultDownload.CopyTo(coordinator, target));

        Assert.Contains($"'{hostile}'", error.Message);
        Assert.False(File.Exists(Path.Combine(parent, "escaped.txt")));
        Assert.False(File.Exists("/tmp/saliency-download-absolute.txt"));
        Assert.False(Directory.Exists(target) && Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task Files_inside_the_folder_are_copied_whole_in_chunks()
    {
        var target = Path.Combine(Folder(), "out");
        var large = Enumerable.Range(0, 3 << 20).Select(i => (byte)i).ToArray();
        var coordinator = new HostileCoordinator(new Dictionary<string, byte[]> { ["summary.csv"] = "a,b\n"u8.ToArray(), ["maps/trial-0000/7.npy"] = large });

        Assert.Equal(2, await ResultDownload.CopyTo(coordinator, target));

        Assert.Equal("a,b\n", File.ReadAllText(Path.Combine(target, "summary.csv")));
        Assert.Equal(large, File.ReadAllBytes(Path.Combine(target, "maps", "trial-0000", "7.npy")));
    }

    [Fact]
    public async Task A_coordinator_that_sends_more_than_it_listed_is_cut_at_the_listed_length()
    {
        var target = Path.Combine(Folder(), "out");
        var coordinator = new HostileCoordinator(new Dictionary<string, byte[]> { ["summary.csv"] = new byte[5000] }, claimedLength: 10);

        await ResultDownload.CopyTo(coordinator, target);

        Assert.Equal(10, new FileInfo(Path.Combine(target, "summary.csv")).Length);
    }

    [Fact]
    public async Task A_folder_that_already_holds_files_is_refused_and_left_as_it_was()
    {
        var target = Folder();
        await File.WriteAllTextAsync(Path.Combine(target, "summary.csv"), "mine");
        var coordinator = new HostileCoordinator(new Dictionary<string, byte[]> { ["summary.csv"] = "a,b\n"u8.ToArray(), ["report.html"] = "<html>"u8.ToArray() });

        var error = await Assert.ThrowsAsync<IOException>(() => ResultDownload.CopyTo(coordinator, target));

        Assert.Contains("already holds files", error.Message);
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(target, "summary.csv")));
        Assert.False(File.Exists(Path.Combine(target, "report.html")));
    }
}
