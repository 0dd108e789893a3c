using Saliency.Attribution.Metrics;
using Saliency.Attribution.Sanity;
using Saliency.Attribution.Sweeps;

namespace Saliency.Cli.Tests;

/// <summary>The sweeps the client ships, read as a user's run would read them.</summary>
[Trait("Lane", "Unit")]
public sealed class ShippedSpecTests
{
    public static TheoryData<string> Specs() => new(Directory.GetFiles(Path.Combine(Binaries.RepositoryRoot, "client", "sweeps"), "*.yaml")
        .Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Specs))]
    public void Every_shipped_sweep_parses_and_names_only_known_methods_and_metrics(string file)
    {
        var spec = SweepSpec.Load(Path.Combine(Binaries.RepositoryRoot, "client", "sweeps", file));

        Assert.NotEmpty(spec.Trials);
        Assert.All(spec.Metrics, metric => Assert.Contains(metric, MetricCatalog.Names));
    }

    [Fact]
    public void The_trust_sweep_sets_the_edge_and_random_controls_beside_the_methods_under_every_metric_and_two_deletion_substrates()
    {
        var spec = SweepSpec.Load(Path.Combine(Binaries.RepositoryRoot, "client", "sweeps", "trust.yaml"));

        Assert.Equal(["gradient", "ig", "ig", "smoothgrad", "gradcam", "igos", "random", "edge"], spec.Trials.Select(t => t.Method));
        Assert.Equal(MetricCatalog.All.Where(m => !m.NeedsGroundTruth).Select(m => m.Name).Order(), spec.Metrics.Order());
        Assert.Equal(["blur", "black"], spec.DeletionSubstrates.Select(s => s.Name));
        Assert.Equal([SanityChecks.ModelRandomisationName, SanityChecks.RandomLogitName], spec.Sanity);
    }
}
