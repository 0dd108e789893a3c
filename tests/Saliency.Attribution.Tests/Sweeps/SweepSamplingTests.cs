using System.Globalization;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

public class SweepSamplingTests
{
    static string Spec(int seed) => $$$"""
        name: sampled
        data: fashion-mnist:test
        sample: 20
        seed: {{{seed}}}
        methods:
          ig: {baseline: [black, uniform], steps: {min: 4, max: 64, log: true}}
          smoothgrad: {samples: {min: 2, max: 8}, noise: {min: 0.05, max: 0.3}}
        """;

    static double Number(Trial trial, string name) => double.Parse(trial.Parameter(name)!, CultureInfo.InvariantCulture);

    [Fact]
    public void Sample_draws_that_many_trials_numbered_from_zero()
    {
        var trials = SweepSpec.Parse(Spec(3), "spec.yaml").Trials;

        Assert.Equal(Enumerable.Range(0, 20), trials.Select(t => t.Index));
        Assert.Equal(20, trials.Select(t => t.Label).Distinct().Count());
        Assert.Contains(trials, t => t.Method == "ig");
        Assert.Contains(trials, t => t.Method == "smoothgrad");
    }

    [Fact]
    public void Sampled_values_lie_within_their_lists_and_ranges()
    {
        foreach (var trial in SweepSpec.Parse(Spec(3), "spec.yaml").Trials)
        {
            if (trial.Method == "ig")
            {
                Assert.Contains(trial.Parameter("baseline"), new[] { "black", "uniform" });
                Assert.InRange(Number(trial, "steps"), 4, 64);
                Assert.Equal(Math.Floor(Number(trial, "steps")), Number(trial, "steps"));
                Assert.Equal("gausslegendre", trial.Parameter("rule"));
            }
            else
            {
                Assert.InRange(Number(trial, "samples"), 2, 8);
                Assert.InRange(Number(trial, "noise"), 0.05, 0.3);
            }
        }
    }

    [Fact]
    public void The_same_seed_draws_the_same_trials()
    {
        var first = SweepSpec.Parse(Spec(3), "spec.yaml").Trials.Select(t => t.Label);
        var second = SweepSpec.Parse(Spec(3), "spec.yaml").Trials.Select(t => t.Label);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Another_seed_draws_other_trials() =>
        Assert.NotEqual(SweepSpec.Parse(Spec(3), "spec.yaml").Trials.Select(t => t.Label), SweepSpec.Parse(Spec(4), "spec.yaml").Trials.Select(t => t.Label));

    [Fact]
    public void A_space_smaller_than_the_sample_yields_each_trial_once()
    {
        var trials = SweepSpec.Parse("name: s\ndata: fashion-mnist:test\nsample: 10\nmethods:\n  ig: {steps: [8, 16]}\n  gradient: {}\n", "spec.yaml").Trials;

        Assert.Equal(3, trials.Count);
    }
}
