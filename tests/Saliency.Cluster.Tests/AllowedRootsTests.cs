using Saliency.Grains;
using Saliency.Grains.Hosting;

namespace Saliency.Cluster.Tests;

public sealed class AllowedRootsTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "saliency-roots-" + Guid.NewGuid().ToString("N")[..8]);
    readonly string allowed;
    readonly string outside;

    public AllowedRootsTests()
    {
        allowed = Directory.CreateDirectory(Path.Combine(root, "allowed", "images")).Parent!.FullName;
        outside = Directory.CreateDirectory(Path.Combine(root, "outside")).FullName;
    }

    [Fact]
    public void A_path_inside_a_root_passes() =>
        new AllowedRoots([allowed]).Require(Path.Combine(allowed, "images"), "data folder");

    [Fact]
    public void An_absolute_path_elsewhere_is_refused_naming_the_path_and_the_roots()
    {
        var error = Assert.Throws<UnauthorizedAccessException>(() => new AllowedRoots([allowed]).Require(outside, "data folder"));
        Assert.Contains(outside, error.Message);
        Assert.Contains(allowed, error.Message);
    }

    [Fact]
    public void Dot_dot_out_of_a_root_is_refused() =>
        Assert.Throws<UnauthorizedAccessException>(() => new AllowedRoots([allowed]).Require(Path.Combine(allowed, "..", "outside"), "data folder"));

    [Fact]
    public void A_symbolic_link_out_of_a_root_is_refused()
    {
        var link = Path.Combine(allowed, "escape");
        Directory.CreateSymbolicLink(link, outside);
        Assert.Throws<UnauthorizedAccessException>(() => new AllowedRoots([allowed]).Require(Path.Combine(link, "model.pt"), "model file"));
    }

    [Fact]
    public void A_root_sharing_a_prefix_is_not_a_parent() =>
        Assert.Throws<UnauthorizedAccessException>(() => new AllowedRoots([allowed]).Require(allowed + "-sibling", "data folder"));

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
