using Saliency.Cluster.Hosting;

namespace Saliency.Grains.Tests;

[Trait("Lane", "Unit")]
public sealed class ClusterEndpointsTests
{
    [Fact]
    public void Free_ports_are_never_handed_out_twice_in_one_process_even_before_anything_binds_them()
    {
        // The kernel picks an ephemeral port at random, so among 600 picks some would repeat.
        var ports = Enumerable.Range(0, 300).Select(_ => ClusterEndpoints.OnFreePorts()).SelectMany(p => new[] { p.SiloPort, p.GatewayPort }).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }
}
