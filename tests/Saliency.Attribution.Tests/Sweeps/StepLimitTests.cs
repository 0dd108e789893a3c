using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

public class StepLimitTests
{
    static SweepSpec Spec(string methods) => SweepSpec.Parse($"""
        name: limited
        data: fashion-mnist:test:0-7
        methods:
          {methods}
        """, "limited.yaml");

    [Fact]
    public void Steps_within_the_limit_pass() =>
        StepLimit.Require(Spec("ig: { steps: [16, 4096] }"), 4096);

    [Fact]
    public void Steps_above_the_limit_are_refused_naming_the_trial_the_field_the_value_and_the_limit()
    {
        var error = Assert.Throws<ArgumentException>(() => StepLimit.Require(Spec("ig: { steps: [16, 5000] }"), 4096));

        Assert.Contains("limited.yaml: trial 1 (ig steps=5000 ", error.Message);
        Assert.Contains("methods.ig.steps = 5000", error.Message);
        Assert.Contains("limit of 4096", error.Message);
    }

    [Fact]
    public void Auto_steps_count_as_the_most_their_doubling_reaches()
    {
        StepLimit.Require(Spec("ig: { steps: [auto] }"), 1024);
        var error = Assert.Throws<ArgumentException>(() => StepLimit.Require(Spec("ig: { steps: [auto] }"), 512));
        Assert.Contains("methods.ig.steps = auto comes to 1024 steps", error.Message);
    }

    [Fact]
    public void IGos_iterations_count_with_their_integration_steps()
    {
        var error = Assert.Throws<ArgumentException>(() => StepLimit.Require(Spec("igos: { iterations: [300] }"), 4096));
        Assert.Contains("methods.igos.iterations = 300 comes to 6000 steps", error.Message);
    }

    [Fact]
    public void Noise_samples_count_as_steps() =>
        Assert.Contains("methods.smoothgrad.samples = 9000",
            Assert.Throws<ArgumentException>(() => StepLimit.Require(Spec("smoothgrad: { samples: [9000] }"), 4096)).Message);

    [Fact]
    public void Sampled_sweeps_are_held_to_the_trials_actually_drawn()
    {
        var spec = SweepSpec.Parse("""
            name: drawn
            data: fashion-mnist:test:0-7
            sample: 4
            methods:
              ig: { steps: { min: 2, max: 100000 } }
            """, "drawn.yaml");
        var largest = spec.Trials.Max(t => StepLimit.Steps(t)!.Count);

        StepLimit.Require(spec, (int)largest);
        Assert.Throws<ArgumentException>(() => StepLimit.Require(spec, (int)largest - 1));
    }
}
