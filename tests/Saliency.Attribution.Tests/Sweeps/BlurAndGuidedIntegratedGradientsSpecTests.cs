using System.Globalization;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

/// <summary>Blur IG's and Guided IG's parameters in sweep specs, the methods their trials build, and their steps.</summary>
public class BlurAndGuidedIntegratedGradientsSpecTests
{
    static SweepSpec Spec(string methods) =>
        SweepSpec.Parse($"name: n\ndata: fashion-mnist:test:0-3\nseed: 12\nmethods:\n  {methods}\n", "spec.yaml");

    static T Built<T>(SweepSpec spec, int trial) =>
        Assert.IsType<T>(TrialMethod.Create(spec.Trials[trial], spec, () => throw new InvalidOperationException("no references"), 32));

    [Fact]
    public void Blur_ig_trials_expand_max_sigma_steps_and_grad_step_and_build_the_method_with_them()
    {
        var spec = Spec("blur-ig: {max_sigma: [2, 4.5], steps: 040, grad_step: 0.05}");

        Assert.Equal(["blur-ig max_sigma=2 steps=40 grad_step=0.05", "blur-ig max_sigma=4.5 steps=40 grad_step=0.05"], spec.Trials.Select(t => t.Label));
        var blur = Built<BlurIntegratedGradients>(spec, 1);
        Assert.Equal((4.5, 40, 0.05, 32), (blur.Options.MaxSigma, blur.Options.Steps, blur.Options.GradStep, blur.Options.InternalBatchSize));
    }

    [Fact]
    public void Blur_ig_left_unparameterised_takes_the_references_defaults_with_sigma_scaled_to_the_image()
    {
        var blur = Built<BlurIntegratedGradients>(Spec("blur-ig: {}"), 0);

        Assert.Equal((null, 100, 0.01), (blur.Options.MaxSigma, blur.Options.Steps, blur.Options.GradStep));
        Assert.Equal(6.25, blur.Options.ResolveMaxSigma(28, 28));
    }

    [Fact]
    public void Guided_ig_trials_sweep_the_baselines_of_ig_and_carry_steps_fraction_max_dist_and_anchors()
    {
        var spec = Spec("guided-ig: {baseline: [black, 'blur:5'], steps: 64, fraction: 0.5, max_dist: 1, anchors: [0, 3]}");

        Assert.Equal(4, spec.Trials.Count);
        Assert.Equal("guided-ig baseline=blur:5 steps=64 fraction=0.5 max_dist=1 anchors=3", spec.Trials[3].Label);
        var guided = Built<GuidedIntegratedGradients>(spec, 3);
        Assert.Equal(("blur:5", 64, 0.5, 1.0, 3, 12L),
            (guided.Options.Baseline.Name, guided.Options.Steps, guided.Options.Fraction, guided.Options.MaxDistance, guided.Options.Anchors, guided.Options.Seed));
    }

    [Fact]
    public void Guided_ig_left_unparameterised_takes_the_references_defaults_and_names_its_black_baseline()
    {
        var spec = Spec("guided-ig:");
        var guided = Built<GuidedIntegratedGradients>(spec, 0);

        Assert.Equal("guided-ig baseline=black", spec.Trials[0].Label);
        Assert.Equal(("black", 200, 0.25, 0.02, 0), (guided.Options.Baseline.Name, guided.Options.Steps, guided.Options.Fraction, guided.Options.MaxDistance, guided.Options.Anchors));
    }

    [Fact]
    public void A_sampled_max_dist_and_anchor_count_are_drawn_within_their_ranges()
    {
        var spec = SweepSpec.Parse("name: n\ndata: fashion-mnist:test\nsample: 6\nmethods:\n  guided-ig: {max_dist: {min: 0, max: 0.5}, anchors: {min: 0, max: 2}}\n", "spec.yaml");

        Assert.All(spec.Trials, t => Assert.InRange(double.Parse(t.Parameter("max_dist")!, System.Globalization.CultureInfo.InvariantCulture), 0, 0.5));
        Assert.All(spec.Trials, t => Assert.InRange(int.Parse(t.Parameter("anchors")!, CultureInfo.InvariantCulture), 0, 2));
    }

    [Theory]
    [InlineData("blur-ig: {max_sigma: 0}", "methods.blur-ig.max_sigma", "expected a positive number, got '0'")]
    [InlineData("blur-ig: {grad_step: -1}", "methods.blur-ig.grad_step", "expected a positive number, got '-1'")]
    [InlineData("blur-ig: {steps: 0}", "methods.blur-ig.steps", "expected a positive integer, got '0'")]
    [InlineData("guided-ig: {fraction: 1.5}", "methods.guided-ig.fraction", "expected a number from 0 to 1, got '1.5'")]
    [InlineData("guided-ig: {max_dist: -0.1}", "methods.guided-ig.max_dist", "expected a number from 0 to 1, got '-0.1'")]
    [InlineData("guided-ig: {anchors: -1}", "methods.guided-ig.anchors", "expected a non-negative integer, got '-1'")]
    [InlineData("guided-ig: {baseline: grey}", "methods.guided-ig.baseline", "unknown baseline 'grey'")]
    public void Values_outside_a_parameters_range_are_rejected_naming_the_field(string methods, string field, string message)
    {
        var error = Assert.Throws<SweepSpecException>(() => Spec(methods));

        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("blur-ig: {}", 100)]
    [InlineData("blur-ig: {steps: 300}", 300)]
    [InlineData("guided-ig: {}", 200)]
    [InlineData("guided-ig: {steps: 64, anchors: 3}", 64)]
    public void Their_steps_per_image_are_their_gradient_steps(string methods, int steps)
    {
        var spec = Spec(methods);

        Assert.Equal(steps, StepLimit.Steps(spec.Trials[0], new ImageShape(1, 28, 28))!.Count);
    }

    [Fact]
    public void Guided_ig_steps_above_the_limit_are_refused_naming_the_field() =>
        Assert.Contains("methods.guided-ig.steps = 5000 comes to 5000 steps",
            Assert.Throws<ArgumentException>(() => StepLimit.Require(Spec("guided-ig: {steps: [200, 5000]}"), 4096)).Message);
}
