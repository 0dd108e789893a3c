using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

/// <summary>The halving schedule as a spec declares it, its rungs, and the paired rule that stops a trial.</summary>
[Trait("Lane", "Unit")]
public sealed class HalvingScheduleTests
{
    const string Head = """
        name: halving
        data: fashion-mnist:test:0-999
        methods: { ig: { steps: [8, 16] } }
        shard: 64

        """;

    static SweepSpec Parse(string tail) => SweepSpec.Parse(Head + tail, "halving.yaml");

    [Fact]
    public void A_spec_without_a_schedule_is_a_grid_of_one_rung_over_every_image()
    {
        var spec = Parse("");
        Assert.False(spec.Schedule.IsHalving);
        Assert.Equal([new Rung(0, 16, 1000)], spec.Schedule.Rungs(1000, 64));
    }

    [Fact]
    public void Halving_rungs_grow_by_the_reduction_from_the_first_rung_to_the_whole_selection_at_shard_boundaries()
    {
        var schedule = Parse("schedule: halving\n").Schedule;
        Assert.True(schedule.IsHalving);
        Assert.Equal([new Rung(0, 1, 64), new Rung(1, 3, 192), new Rung(2, 9, 576), new Rung(3, 16, 1000)], schedule.Rungs(1000, 64));
        // A first rung smaller than a shard is a whole shard, and each rung after is the reduction times the one before.
        var small = Parse("schedule: { kind: halving, min_images: 10, reduction: 2 }\n").Schedule;
        Assert.Equal([1, 2, 4, 8, 16], small.Rungs(1000, 64).Select(r => r.Shards));
    }

    [Fact]
    public void Each_comparison_is_made_at_a_confidence_corrected_for_every_trial_and_deciding_rung()
    {
        var schedule = Parse("schedule: { kind: halving, alpha: 0.1 }\n").Schedule;
        Assert.Equal(0.1, schedule.Alpha);
        Assert.Equal(1 - 0.1 / (9 * 3), schedule.Confidence(trials: 10, decidingRungs: 3), 12);
    }

    [Theory]
    [InlineData("schedule: fastest\n", "schedule", "unknown schedule 'fastest' (known: grid, halving)")]
    [InlineData("schedule: { kind: halving, reduction: 1 }\n", "schedule.reduction", "expected an integer of at least 2")]
    [InlineData("schedule: { kind: halving, alpha: 1.5 }\n", "schedule.alpha", "expected a probability between 0 and 1")]
    [InlineData("schedule: { kind: grid, min_images: 10 }\n", "schedule", "belong to schedule 'halving'")]
    [InlineData("schedule: { min_images: 10 }\n", "schedule.kind", "'kind' is required")]
    [InlineData("schedule: { kind: halving, rungs: 3 }\n", "schedule.rungs", "unknown key 'rungs'")]
    public void A_bad_schedule_names_its_field(string tail, string field, string message)
    {
        var error = Assert.Throws<SweepSpecException>(() => Parse(tail));
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    static readonly Rung First = new(0, 1, 64);

    /// <summary>Values on images 0..n-1: a base per image that every trial shares, plus the trial's offset and a little noise.</summary>
    static Dictionary<int, double> Values(double offset, int images = 64, int seed = 1)
    {
        var random = new Random(seed);
        var shared = new Random(0);
        return Enumerable.Range(0, images).ToDictionary(key => key, _ => shared.NextDouble() + offset + 0.01 * (random.NextDouble() - 0.5));
    }

    static RungDecision Judge(int trial, SweepObjective objective, params Dictionary<int, double>[] trials) =>
        RungDecision.Judge(trial, First, objective, 0.999,
            trials.Select((values, index) => (index, values)).ToDictionary(t => t.index, t => (IReadOnlyDictionary<int, double>)t.values));

    [Fact]
    public void A_trial_whose_paired_interval_lies_wholly_below_the_best_stops()
    {
        var decision = Judge(1, SweepObjective.InsertionMinusDeletion, Values(0.2), Values(0.1, seed: 2));
        Assert.True(decision.Stopped);
        Assert.Equal(0, decision.Best);
        Assert.Equal(64, decision.Images);
        Assert.True(decision.High < 0);
        Assert.Contains("stopped at rung 0 (64 images)", decision.Describe(t => $"t{t}"));
        Assert.Contains("against t0 on 64 paired images", decision.Describe(t => $"t{t}"));
    }

    [Fact]
    public void A_trial_whose_interval_reaches_zero_goes_on_however_far_behind_its_raw_mean_is()
    {
        // Far behind on average but spread wide: the interval reaches zero, so the evidence does not say it is beaten.
        var random = new Random(3);
        var wide = Values(0.2).ToDictionary(p => p.Key, p => p.Value - 0.05 + 2 * (random.NextDouble() - 0.5));
        var decision = Judge(1, SweepObjective.InsertionMinusDeletion, Values(0.2), wide);
        Assert.False(decision.Stopped);
        Assert.True(decision.Low < 0 && decision.High > 0);
    }

    [Fact]
    public void The_best_and_a_trial_alone_on_its_rung_go_on()
    {
        Assert.False(Judge(0, SweepObjective.InsertionMinusDeletion, Values(0.2), Values(0.1)).Stopped);
        var alone = Judge(0, SweepObjective.InsertionMinusDeletion, Values(0.2));
        Assert.False(alone.Stopped);
        Assert.Contains("the first trial to complete it", alone.Describe(t => $"t{t}"));
    }

    [Fact]
    public void Under_an_objective_where_lower_is_better_the_higher_trial_stops()
    {
        var decision = Judge(0, SweepObjective.Deletion, Values(0.3), Values(0.1, seed: 2));
        Assert.True(decision.Stopped);
        Assert.Equal(1, decision.Best);
        Assert.True(decision.Low > 0);
    }

    [Fact]
    public void Only_images_both_trials_measured_are_paired()
    {
        var best = Values(0.2);
        var partial = Values(0.1, seed: 2).Where(p => p.Key % 2 == 0).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(32, Judge(1, SweepObjective.InsertionMinusDeletion, best, partial).Images);
    }
}
