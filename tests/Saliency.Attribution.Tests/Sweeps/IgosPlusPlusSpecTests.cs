using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

/// <summary>iGOS++'s parameters in sweep specs, the method its trials build, and their steps.</summary>
public class IgosPlusPlusSpecTests
{
    static SweepSpec Spec(string methods) =>
        SweepSpec.Parse($"name: n\ndata: fashion-mnist:test:0-3\nseed: 12\nmethods:\n  {methods}\n", "spec.yaml");

    static IgosPlusPlus Built(SweepSpec spec, int trial) =>
        Assert.IsType<IgosPlusPlus>(TrialMethod.Create(spec.Trials[trial], spec, () => throw new InvalidOperationException("no references"), 32));

    [Fact]
    public void Trials_expand_iterations_mask_size_l1_tv_and_baseline_and_build_the_method_with_them()
    {
        var spec = Spec("igos-pp: {iterations: [5, 10], mask_size: 7, l1: 0.5, tv: [2, 10], baseline: 'blur:6.25:7'}");

        Assert.Equal(4, spec.Trials.Count);
        var built = Built(spec, 3).Options;
        Assert.Equal((10, (int?)7, 0.5, 10.0, "blur:6.25:7", 12L), (built.Iterations, built.MaskSize, built.L1, built.TotalVariation, built.Baseline.Name, built.Seed));
    }

    [Fact]
    public void Left_unparameterised_it_takes_the_references_defaults()
    {
        var built = Built(Spec("igos-pp: {}"), 0).Options;

        Assert.Equal((15, 20, (int?)null, 1.0, 20.0, "blur"), (built.Iterations, built.IntegrationSteps, built.MaskSize, built.L1, built.TotalVariation, built.Baseline.Name));
        Assert.Equal((0.2, 2.0, 0.01, 1000.0, 0.2, 1e-4, 1e-5),
            (built.Noise, built.TotalVariationBeta, built.BilateralSigma, built.InitialStep, built.StepDecay, built.ArmijoConstant, built.MinimumStep));
    }

    [Fact]
    public void Its_parameters_do_not_change_igos_trials_of_the_same_sweep()
    {
        var spec = Spec("igos-pp: {iterations: 4, mask_size: 5}\n  igos: {}");

        var igos = Assert.IsType<Igos>(TrialMethod.Create(spec.Trials[1], spec, () => throw new InvalidOperationException(), 32));
        Assert.Equal((15, (int?)null), (igos.Options.Iterations, igos.Options.MaskSize));
    }

    [Theory]
    [InlineData("igos-pp: {l1: -1}", "methods.igos-pp.l1", "expected a non-negative number, got '-1'")]
    [InlineData("igos-pp: {tv: x}", "methods.igos-pp.tv", "expected a non-negative number, got 'x'")]
    [InlineData("igos-pp: {iterations: 0}", "methods.igos-pp.iterations", "expected a positive integer, got '0'")]
    [InlineData("igos-pp: {baseline: grey}", "methods.igos-pp.baseline", "unknown substrate 'grey'")]
    public void Values_outside_a_parameters_range_are_rejected_naming_the_field(string methods, string field, string message)
    {
        var error = Assert.Throws<SweepSpecException>(() => Spec(methods));

        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("igos-pp: {}", 1200)]
    [InlineData("igos-pp: {iterations: 3}", 240)]
    public void Its_steps_per_image_are_iterations_times_integration_steps_times_four_paths(string methods, int steps) =>
        Assert.Equal(steps, StepLimit.Steps(Spec(methods).Trials[0], new ImageShape(1, 28, 28))!.Count);

    [Fact]
    public void Iterations_above_the_limit_are_refused_naming_the_field() =>
        Assert.Contains("methods.igos-pp.iterations = 60 comes to 4800 steps",
            Assert.Throws<ArgumentException>(() => StepLimit.Require(Spec("igos-pp: {iterations: [15, 60]}"), 4096)).Message);
}
