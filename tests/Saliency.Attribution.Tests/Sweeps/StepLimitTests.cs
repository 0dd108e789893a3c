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
    public void Igos_iterations_count_with_their_integration_steps()
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
        var largest = spec.Trials.Max(t => StepLimit.Steps(t, spec.DeclaredImageShape())!.Count);

        StepLimit.Require(spec, (int)largest);
        Assert.Throws<ArgumentException>(() => StepLimit.Require(spec, (int)largest - 1));
    }

    [Fact]
    public void Occlusion_counts_its_windows_on_the_sweeps_images()
    {
        var spec = Spec("occlusion: { window: [1, 4], stride: [1] }");

        Assert.Equal([784L, 625L], spec.Trials.Select(t => StepLimit.Steps(t, spec.DeclaredImageShape())!.Count));
        Assert.Equal(169, StepLimit.Steps(Spec("occlusion: {}").Trials[0], spec.DeclaredImageShape())!.Count);
        Assert.Contains("methods.occlusion.stride = 1 comes to 784 steps",
            Assert.Throws<ArgumentException>(() => StepLimit.Require(spec, 700)).Message);
    }

    [Fact]
    public void Occlusion_with_a_window_larger_than_the_sweeps_images_is_refused_naming_the_trial()
    {
        var error = Assert.Throws<ArgumentException>(() => StepLimit.Require(Spec("occlusion: { window: 40 }"), 4096));

        Assert.Contains("limited.yaml: trial 0 (occlusion window=40): occlusion window 40 is larger than the 28×28 image", error.Message);
    }

    [Fact]
    public void Rise_masks_count_as_steps() =>
        Assert.Contains("methods.rise.masks = 5000 comes to 5000 steps",
            Assert.Throws<ArgumentException>(() => StepLimit.Require(Spec("rise: { masks: [2000, 5000] }"), 4096)).Message);
}
