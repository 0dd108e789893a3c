using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;

namespace Saliency.Attribution.Tests.Sweeps.Engine;

/// <summary>The sweep engine's dispatch window alone: what goes out, to whom, and what comes back again after a fault.</summary>
[Trait("Lane", "Unit")]
public sealed class DispatchWindowTests
{
    // 2 trials × 3 shards of 8 over 20 images: 6 work items.
    static readonly SweepPlan Plan = new(SweepSpec.Parse("""
        name: window
        model: fashion-cnn
        data: fashion-mnist:test:0-19
        methods: { ig: { steps: [8, 16] } }
        shard: 8

        """, "window.yaml"), 20);

    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    static readonly DateTime Noon = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);
    static readonly HashSet<string> BothWorkers = ["a", "b"];

    readonly SweepLedger ledger = new(Plan, []);
    readonly DispatchWindow window = new(Plan, maxAttempts: 3, Timeout, new SweepRungs(Plan, []));

    static ShardOutcome Whole(WorkItem item) => new(item.Trial, item.Shard,
        Enumerable.Range(item.Start, item.Count).Select(key => TestOutcomes.Image(key, 0, 0, 1, null, 0, null, null, null, null, 8, 0.1)).ToArray(), [], 1, []);

    List<WorkItem> Send(string worker, int count, DateTime at)
    {
        var items = window.Next(count, worker, workers: 2, ledger);
        window.Sent(items, worker, at);
        return items;
    }

    [Fact]
    public void Items_go_out_in_plan_order_once_each_and_a_settled_one_leaves_flight()
    {
        var first = Send("a", 4, Noon);
        var rest = Send("b", 4, Noon);

        Assert.Equal(Enumerable.Range(0, 6).Select(p => Plan.KeyAt(p)), first.Concat(rest).Select(Plan.KeyOf));
        Assert.Equal(6, window.InFlight);
        Assert.Empty(window.Next(4, "a", 2, ledger));

        Assert.True(window.Landed(first[0]));
        ledger.Add(Whole(first[0]));
        window.Reconcile(Plan.KeyOf(first[0]), ledger);
        Assert.Equal(5, window.InFlight);
        Assert.Equal(3, window.InFlightOn("a"));
    }

    [Fact]
    public void An_item_past_the_timeout_is_retried_with_its_next_attempt_on_another_worker()
    {
        var sent = Send("a", 1, Noon).Single();

        Assert.Empty(window.Expire(BothWorkers, Noon + Timeout));
        var expired = Assert.Single(window.Expire(BothWorkers, Noon + Timeout + TimeSpan.FromSeconds(1)));
        Assert.False(expired.Lost);
        Assert.Equal($"no result within {Timeout}", expired.Reason);
        Assert.True(window.Retry(expired.Item));

        // The slow worker gets fresh work, not its own retry; the other worker gets the retry first.
        Assert.DoesNotContain(window.Next(1, "a", 2, ledger), item => Plan.KeyOf(item) == Plan.KeyOf(sent));
        var retried = window.Next(1, "b", 2, ledger).Single();
        Assert.Equal((sent.Trial, sent.Shard, 2), (retried.Trial, retried.Shard, retried.Attempt));
    }

    [Fact]
    public void With_one_worker_left_a_retry_goes_back_to_the_worker_it_was_slow_on()
    {
        var sent = window.Next(1, "a", workers: 1, ledger).Single();
        window.Sent([sent], "a", Noon);
        var expired = Assert.Single(window.Expire(new HashSet<string> { "a" }, Noon + Timeout + TimeSpan.FromSeconds(1)));
        window.Retry(expired.Item);

        Assert.Equal(Plan.KeyOf(sent), Plan.KeyOf(window.Next(1, "a", workers: 1, ledger).Single()));
    }

    [Fact]
    public void The_items_of_a_worker_that_left_expire_at_once_as_lost()
    {
        Send("a", 2, Noon);
        Send("b", 2, Noon);

        var expired = window.Expire(new HashSet<string> { "b" }, Noon);

        Assert.Equal(2, expired.Count);
        Assert.All(expired, e => Assert.True(e.Lost));
        Assert.All(expired, e => Assert.Equal("worker a left the cluster", e.Reason));
        Assert.Equal(2, window.InFlight);
    }

    [Fact]
    public void An_item_that_has_had_its_attempts_is_given_up_and_not_queued_again()
    {
        var item = Send("a", 1, Noon).Single();
        for (var attempt = 1; attempt < 3; attempt++)
        {
            Assert.Single(window.Expire(BothWorkers, Noon.AddHours(attempt)));
            Assert.True(window.Retry(item with { Attempt = attempt }));
            var again = window.Next(1, attempt % 2 == 1 ? "b" : "a", 2, ledger).Single();
            Assert.Equal(attempt + 1, again.Attempt);
            window.Sent([again], attempt % 2 == 1 ? "b" : "a", Noon.AddHours(attempt));
        }

        Assert.False(window.Retry(item with { Attempt = 3 }));
        Assert.Equal(5, window.Next(6, "b", 2, ledger).Count);
    }

    [Fact]
    public void A_failure_that_is_not_retryable_leaves_flight_and_nothing_sends_it_again()
    {
        var item = Send("a", 1, Noon).Single();

        Assert.True(window.Landed(item));
        ledger.Fail(item.Trial, item.Shard, item.Part, "bad model");

        Assert.Equal(0, window.InFlight);
        Assert.DoesNotContain(window.Next(6, "a", 2, ledger), next => Plan.KeyOf(next) == Plan.KeyOf(item));
        Assert.Empty(window.Expire(BothWorkers, Noon.AddHours(1)));
    }

    [Fact]
    public void A_report_of_an_earlier_attempt_leaves_the_later_one_in_flight_until_the_shard_is_settled()
    {
        var first = Send("a", 1, Noon).Single();
        window.Expire(BothWorkers, Noon + Timeout + TimeSpan.FromSeconds(1));
        window.Retry(first);
        var second = window.Next(1, "b", 2, ledger).Single();
        window.Sent([second], "b", Noon + Timeout);

        Assert.False(window.Landed(first));
        Assert.True(window.IsInFlight(Plan.KeyOf(second)));
        ledger.Add(Whole(first));
        window.Reconcile(Plan.KeyOf(first), ledger);
        Assert.False(window.IsInFlight(Plan.KeyOf(second)));
    }

    [Fact]
    public void Items_a_worker_did_not_accept_go_out_again_as_they_were()
    {
        var items = Send("a", 2, Noon);

        window.NotAccepted(items);

        Assert.Equal(0, window.InFlight);
        Assert.Equal(items, window.Next(2, "b", 2, ledger));
    }

    [Fact]
    public void Progress_counts_only_from_the_worker_an_item_is_in_flight_on_and_only_while_it_is()
    {
        var item = Send("a", 1, Noon).Single();

        window.Progressed(item, "b", 5);
        Assert.Equal(0, window.ImagesInFlight().Sum());
        window.Progressed(item, "a", 5);
        Assert.Equal(5, window.ImagesInFlight()[item.Trial]);
        window.Progressed(item, "a", 100);
        Assert.Equal(item.Count, window.ImagesInFlight()[item.Trial]);
        window.Landed(item);
        Assert.Equal(0, window.ImagesInFlight().Sum());
    }
}
