using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

/// <summary>Occlusion's and RISE's parameters in sweep specs, and the methods their trials build.</summary>
public class OcclusionAndRiseSpecTests
{
    static SweepSpec Spec(string methods) =>
        SweepSpec.Parse($"name: n\ndata: fashion-mnist:test:0-3\nseed: 12\nmethods:\n  {methods}\n", "spec.yaml");

    static T Built<T>(SweepSpec spec, int trial) =>
        Assert.IsType<T>(TrialMethod.Create(spec.Trials[trial], spec, () => throw new InvalidOperationException("no references"), 32));

    [Fact]
    public void Occlusion_trials_expand_window_stride_and_fill_and_build_the_method_with_them()
    {
        var spec = Spec("occlusion: {window: [2, 4], stride: 1, fill: [black, 'blur:2.50:7']}");

        Assert.Equal(
            ["occlusion window=2 stride=1 fill=black", "occlusion window=2 stride=1 fill=blur:2.50:7",
             "occlusion window=4 stride=1 fill=black", "occlusion window=4 stride=1 fill=blur:2.50:7"],
            spec.Trials.Select(t => t.Label));
        var occlusion = Built<Occlusion>(spec, 3);
        Assert.Equal((4, 1, "blur:2.50:7", (int?)7), (occlusion.Options.Window, occlusion.Options.Stride, occlusion.Options.Fill.Name, occlusion.Options.Fill.KernelSize));
    }

    [Fact]
    public void Occlusion_left_unparameterised_follows_the_image_and_fills_with_the_mean()
    {
        var occlusion = Built<Occlusion>(Spec("occlusion: {}"), 0);

        Assert.Equal((null, null, "mean"), (occlusion.Options.Window, occlusion.Options.Stride, occlusion.Options.Fill.Name));
        Assert.Equal((4, 2), occlusion.Options.Resolve(28, 28));
    }

    [Fact]
    public void Rise_trials_carry_masks_grid_probability_and_fill_and_take_the_sweeps_seed()
    {
        var spec = Spec("rise: {masks: 0500, grid: [5, 7], probability: 0.25, fill: mean}");

        Assert.Equal(["rise masks=500 grid=5 probability=0.25 fill=mean", "rise masks=500 grid=7 probability=0.25 fill=mean"], spec.Trials.Select(t => t.Label));
        var rise = Built<Rise>(spec, 0);
        Assert.Equal((500, 5, 0.25, "mean", 12L), (rise.Options.Masks, rise.Options.Grid, rise.Options.Probability, rise.Options.Fill.Name, rise.Options.Seed));
    }

    [Fact]
    public void Rise_left_unparameterised_takes_the_defaults()
    {
        var rise = Built<Rise>(Spec("rise:"), 0);

        Assert.Equal((RiseOptions.DefaultMasks, 7, 0.5, "black"), (rise.Options.Masks, rise.Options.Grid, rise.Options.Probability, rise.Options.Fill.Name));
    }

    [Fact]
    public void A_sampled_rise_probability_is_drawn_within_its_range()
    {
        var spec = SweepSpec.Parse("name: n\ndata: fashion-mnist:test\nsample: 6\nmethods:\n  rise: {probability: {min: 0.2, max: 0.8}}\n", "spec.yaml");

        Assert.All(spec.Trials, t => Assert.InRange(double.Parse(t.Parameter("probability")!, System.Globalization.CultureInfo.InvariantCulture), 0.2, 0.8));
    }

    [Theory]
    [InlineData("rise: {probability: 1.5}", "methods.rise.probability", "expected a probability above 0 and at most 1, got '1.5'")]
    [InlineData("rise: {probability: 0}", "methods.rise.probability", "expected a probability above 0 and at most 1, got '0'")]
    [InlineData("rise: {grid: 0}", "methods.rise.grid", "expected a positive integer, got '0'")]
    [InlineData("occlusion: {fill: grey}", "methods.occlusion.fill", "unknown substrate 'grey'")]
    [InlineData("occlusion: {window: -2}", "methods.occlusion.window", "expected a positive integer, got '-2'")]
    public void Values_outside_a_parameters_range_are_rejected_naming_the_field(string methods, string field, string message)
    {
        var error = Assert.Throws<SweepSpecException>(() => Spec(methods));

        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_sampled_probability_range_beyond_one_is_rejected()
    {
        var error = Assert.Throws<SweepSpecException>(() =>
            SweepSpec.Parse("name: n\ndata: fashion-mnist:test\nsample: 2\nmethods:\n  rise: {probability: {min: 0.2, max: 2}}\n", "spec.yaml"));

        Assert.Contains("expected a probability above 0 and at most 1, got '2'", error.Message);
    }

    [Fact]
    public void Igos_takes_the_reference_7x7_blur_as_its_baseline()
    {
        var igos = Built<Igos>(Spec("igos: {iterations: 2, baseline: 'blur:6.25:7'}"), 0);

        Assert.Equal((6.25, (int?)7), (igos.Options.Baseline.Sigma, igos.Options.Baseline.KernelSize));
        Assert.Equal("blur", Built<Igos>(Spec("igos: {}"), 0).Options.Baseline.Name);
    }

    [Fact]
    public void The_images_shape_of_a_fashion_sweep_is_known_without_reading_them() =>
        Assert.Equal(new ImageShape(1, 28, 28), Spec("rise:").DeclaredImageShape());
}
