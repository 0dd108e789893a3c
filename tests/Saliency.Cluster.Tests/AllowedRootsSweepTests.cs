using Saliency.Grains.Contracts;

namespace Saliency.Cluster.Tests;

public sealed class AllowedRootsSweepTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "saliency-roots-" + Guid.NewGuid().ToString("N")[..8]);
    readonly string allowed;
    readonly string outside;

    public AllowedRootsSweepTests()
    {
        allowed = Directory.CreateDirectory(Path.Combine(root, "allowed", "images")).Parent!.FullName;
        outside = Directory.CreateDirectory(Path.Combine(root, "outside")).FullName;
    }

    [Fact]
    public async Task A_sweep_reading_outside_the_allowed_roots_is_refused_before_it_runs()
    {
        await using var cluster = await SweepCluster.Start(allowedRoots: [allowed]);
        var error = await Assert.ThrowsAsync<SweepException>(() =>
            cluster.Submit(Specs.Small("outside-roots").Replace("fashion-mnist:test:0-23", $"folder:{outside}")));
        Assert.Contains(outside, error.Message);
        Assert.Contains("allowed roots", error.Message);
        Assert.Empty(await cluster.Client.GetGrain<ISweepDirectoryGrain>(0).List());
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
