using System.Net;
using Saliency.Grains.Placement;

namespace Saliency.Grains.Tests;

/// <summary>Which coordinator silo hosts the coordinator grains: the oldest, the same whichever silo asks.</summary>
[Trait("Lane", "Unit")]
public sealed class CoordinatorSiloTests
{
    static SiloAddress Silo(int port, int generation) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), generation);

    [Fact]
    public void The_oldest_coordinator_silo_hosts_them_in_whatever_order_the_silos_are_listed()
    {
        var (first, standby, restarted) = (Silo(11112, 1000), Silo(11113, 2000), Silo(11111, 3000));

        Assert.Equal(first, CoordinatorSilo.Of([first, standby, restarted]));
        Assert.Equal(first, CoordinatorSilo.Of([restarted, standby, first]));
        // Once the first has left the cluster, the standby takes them, not the coordinator restarted after it.
        Assert.Equal(standby, CoordinatorSilo.Of([restarted, standby]));
    }

    [Fact]
    public void Silos_started_in_the_same_second_are_told_apart_by_address()
    {
        var (one, other) = (Silo(11111, 1000), Silo(11112, 1000));

        Assert.Equal(CoordinatorSilo.Of([one, other]), CoordinatorSilo.Of([other, one]));
    }

    [Fact]
    public void A_silo_that_has_not_learnt_what_an_active_silo_hosts_does_not_choose_yet()
    {
        var (first, joined) = (Silo(11112, 1000), Silo(11113, 2000));

        // Just joined: membership lists the first coordinator, but this silo knows only its own grains.
        Assert.False(CoordinatorSilo.KnowsEvery([first, joined], [joined]));
        Assert.True(CoordinatorSilo.KnowsEvery([first, joined], [joined, first]));
        // A silo that has left is no longer waited for.
        Assert.True(CoordinatorSilo.KnowsEvery([joined], [joined, first]));
    }

    [Fact]
    public void Without_a_coordinator_silo_a_coordinator_grain_is_placed_nowhere() =>
        Assert.Contains("no coordinator silo", Assert.Throws<SiloUnavailableException>(() => CoordinatorSilo.Of([])).Message);
}
