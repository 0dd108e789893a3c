using Saliency.Grains.Sweeps;

namespace Saliency.Grains.Tests;

/// <summary>What the directory does with a listing whose coordinator's start failed: it goes only when the coordinator says it has nothing.</summary>
[Trait("Lane", "Unit")]
public sealed class FailedStartTests
{
    [Fact]
    public async Task A_coordinator_that_kept_its_state_or_is_still_admitting_keeps_the_listing() =>
        Assert.True(await FailedStart.KeepsListing(() => Task.FromResult(true)));

    [Fact]
    public async Task A_coordinator_that_kept_nothing_and_admits_nothing_loses_the_listing() =>
        Assert.False(await FailedStart.KeepsListing(() => Task.FromResult(false)));

    [Fact]
    public async Task A_coordinator_that_cannot_be_asked_keeps_the_listing_for_the_orphan_check() =>
        Assert.True(await FailedStart.KeepsListing(() => Task.FromException<bool>(new TimeoutException("no answer"))));

    [Fact]
    public void A_start_that_timed_out_is_reported_naming_the_sweep_and_how_to_follow_it()
    {
        var error = FailedStart.StillStarting("big-20261201-000000", new TimeoutException("Response did not arrive on time"));

        Assert.StartsWith("sweep big-20261201-000000 is still starting", error.Message);
        Assert.Contains("saliency status big-20261201-000000", error.Message);
        Assert.IsType<TimeoutException>(error.InnerException);
    }
}
