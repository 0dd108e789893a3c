using Microsoft.Extensions.Logging;
using Saliency.Grains.Hosting;

namespace Saliency.Cluster.Tests;

[Trait("Lane", "Unit")]
public sealed class SiloOptionsTests
{
    [Fact]
    public void A_batch_memory_budget_below_one_mib_is_refused_when_the_silo_is_built_naming_the_key()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SaliencyHosting.BuildSilo(["--Saliency:BatchMemoryMiB", "0"], null, ClusterEndpoints.OnFreePorts(), LogLevel.Error));

        Assert.Equal("Saliency:BatchMemoryMiB must be at least 1 MiB, got 0", error.Message);
    }
}
