using Saliency.Attribution.Baselines;
using Saliency.Attribution.Imaging;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Output;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>
/// <c>blur:σ:k</c> against OpenCV's cv2.GaussianBlur (Fixtures/opencv-blur, made by Fixtures/make_opencv_blur.py
/// with Debian's python3-opencv 4.6), and its names wherever a blur is written.
/// </summary>
public class GaussianBlurTests
{
    static Tensor Fixture(string name, ScalarType type)
    {
        var (values, shape) = NpyFile.ReadDoubles(TestData.Fixture(Path.Combine("opencv-blur", $"{name}.npy")));
        return tensor(values, [.. shape.Select(d => (long)d)]).to(type);
    }

    [Theory]
    [InlineData("image", "sigma2-k7", 2.0, 7)]
    [InlineData("image", "sigma6.25-k7", 6.25, 7)]
    [InlineData("tiny", "sigma1.5-k9-tiny", 1.5, 9)]
    public void The_kernel_size_form_agrees_with_opencv_in_double_precision(string image, string blurred, double sigma, int size)
    {
        using var scope = NewDisposeScope();
        var ours = GaussianBlur.Apply(Fixture(image, float64), sigma, size);

        var worst = (ours - Fixture(blurred, float64)).abs().max().item<double>();
        Assert.True(worst < 1e-12, $"largest difference from OpenCV {worst}");
    }

    [Fact]
    public void The_kernel_size_form_agrees_with_opencv_in_single_precision()
    {
        using var scope = NewDisposeScope();
        var ours = GaussianBlur.Apply(Fixture("image-f32", float32), 2, 7);

        var worst = (ours.to(float64) - Fixture("sigma2-k7-f32", float64)).abs().max().item<double>();
        Assert.True(worst < 1e-6, $"largest difference from OpenCV {worst}");
    }

    [Fact]
    public void The_sigma_form_keeps_its_three_sigma_kernel_and_replicated_borders()
    {
        using var scope = NewDisposeScope();
        // A step at the left border: replicated, the border column sees only the dark side out to ⌈3σ⌉ = 3 pixels.
        var image = zeros(1, 1, 1, 9, float64);
        image[.., .., .., 5..] = 1;
        var blurred = GaussianBlur.Apply(image, 1).data<double>().ToArray();
        var kernel = Enumerable.Range(-3, 7).Select(x => Math.Exp(-x * x / 2.0)).ToArray();
        var expected = Enumerable.Range(0, 9).Select(column =>
            Enumerable.Range(-3, 7).Sum(d => kernel[d + 3] * (Math.Clamp(column + d, 0, 8) >= 5 ? 1 : 0)) / kernel.Sum()).ToArray();

        Assert.Equal(expected, blurred, (a, b) => Math.Abs(a - b) < 1e-12);
        // The same seven taps, but reflect-101 pads a ramp 0, 1, 2… with 3, 2, 1 where replication pads 0, 0, 0.
        var ramp = arange(9, float64).view(1, 1, 1, 9);
        Assert.NotEqual(GaussianBlur.Apply(ramp, 1)[0, 0, 0, 0].item<double>(), GaussianBlur.Apply(ramp, 1, 7)[0, 0, 0, 0].item<double>(), 6);
    }

    [Fact]
    public void Zero_borders_blur_the_image_as_if_it_lay_on_black()
    {
        using var scope = NewDisposeScope();
        // The same step as above: padded with zeros, the columns near the left border see black beyond it.
        var image = zeros(1, 1, 1, 9, float64);
        image[.., .., .., 5..] = 1;
        var blurred = GaussianBlur.Apply(image, 1, BlurBorder.Zero).data<double>().ToArray();
        var kernel = Enumerable.Range(-3, 7).Select(x => Math.Exp(-x * x / 2.0)).ToArray();
        // One row, so the vertical pass sees the row itself at the centre tap and zeros at the other six.
        var centre = kernel[3] / kernel.Sum();
        var expected = Enumerable.Range(0, 9).Select(column =>
            centre * Enumerable.Range(-3, 7).Sum(d => kernel[d + 3] * (column + d is >= 5 and <= 8 ? 1 : 0)) / kernel.Sum()).ToArray();

        Assert.Equal(expected, blurred, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void A_flat_image_stays_flat_with_replicated_borders_and_darkens_at_its_edges_with_zero_borders()
    {
        using var scope = NewDisposeScope();
        var flat = full(1, 3, 12, 10, 0.5, float64);

        var replicated = GaussianBlur.Apply(flat, 2, BlurBorder.Replicate);
        var zero = GaussianBlur.Apply(flat, 2, BlurBorder.Zero);

        Assert.True((replicated - 0.5).abs().max().item<double>() < 1e-12);
        Assert.True(zero[0, 0, 0, 0].item<double>() < 0.2, $"corner {zero[0, 0, 0, 0].item<double>()}");
        Assert.True(zero.max().item<double>() < 0.5);
    }

    [Fact]
    public void A_radius_given_with_the_sigma_sets_the_kernels_taps()
    {
        using var scope = NewDisposeScope();
        var delta = zeros(1, 1, 13, 13, float64);
        delta[0, 0, 6, 6] = 1;

        // ⌈3σ⌉ would be 3; the blur of a delta is the kernel itself, here of 2·5 + 1 taps each way.
        var blurred = GaussianBlur.Apply(delta, 1, BlurBorder.Replicate, radius: 5);

        var taps = Enumerable.Range(-5, 11).Select(x => Math.Exp(-x * x / 2.0)).ToArray();
        var kernel = taps.Select(t => t / taps.Sum()).ToArray();
        var expected = new double[13 * 13];
        for (var i = 0; i < 11; i++)
            for (var j = 0; j < 11; j++)
                expected[(i + 1) * 13 + j + 1] = kernel[i] * kernel[j];
        Assert.Equal(expected, blurred.flatten().data<double>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Theory]
    [InlineData(0.1, 1)]
    [InlineData(2.0 / 3, 2)]
    [InlineData(1.0, 3)]
    [InlineData(1.01, 4)]
    [InlineData(6.25, 19)]
    public void The_radius_of_the_sigma_form_is_three_sigma_rounded_up(double sigma, int radius) =>
        Assert.Equal(radius, GaussianBlur.Radius(sigma));

    [Fact]
    public void A_negative_radius_is_refused()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GaussianBlur.Apply(zeros(1, 1, 4, 4), 1, BlurBorder.Zero, radius: -1));
        Assert.Contains("radius must not be negative, got -1", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(-3)]
    public void A_kernel_size_that_is_not_odd_and_positive_is_refused(int size)
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianBlur.Apply(zeros(1, 1, 4, 4), 1, size));
    }

    [Fact]
    public void Baselines_substrates_and_sweep_values_take_the_kernel_size_form_and_write_it_back_as_read()
    {
        var baseline = Assert.IsType<BlurBaseline>(Baseline.Parse("blur:6.25:7"));
        Assert.Equal((6.25, (int?)7, "blur:6.25:7"), (baseline.Sigma, baseline.KernelSize, baseline.Name));
        Assert.Equal(baseline, Baseline.Parse(baseline.Name));
        Assert.Equal("blur:5", Baseline.Parse("blur").Name);

        var substrate = Substrate.Parse("blur:6.25:7");
        Assert.Equal((6.25, (int?)7), (substrate.Sigma, substrate.KernelSize));
        Assert.Equal(substrate, Substrate.Parse(substrate.Name));
        Assert.Null(Substrate.Parse("blur:3").KernelSize);

        var ig = new ParameterDefinition("baseline", ParameterKind.Baseline, null);
        var fill = new ParameterDefinition("fill", ParameterKind.Substrate, null);
        Assert.Equal("blur:2.5:7", ig.Canonical("blur:2.50:7"));
        Assert.Equal("blur:2.50:7", fill.Canonical("blur:2.50:7"));
        Assert.Equal(fill.Canonical("blur:2.50:7"), fill.Canonical(fill.Canonical("blur:2.50:7")));
    }

    [Theory]
    [InlineData("blur:2:8")]
    [InlineData("blur:2:0")]
    [InlineData("blur:2:-3")]
    [InlineData("blur:2:7.0")]
    [InlineData("blur:0:7")]
    [InlineData("blur:2:7:1")]
    public void Malformed_kernel_size_forms_are_refused_everywhere(string text)
    {
        Assert.Throws<ArgumentException>(() => Baseline.Parse(text));
        Assert.Throws<ArgumentException>(() => Substrate.Parse(text));
    }

    [Fact]
    public void The_blur_baseline_and_substrate_of_the_kernel_size_form_are_opencvs_blur()
    {
        using var scope = NewDisposeScope();
        var images = TestData.FirstTestImages(2).ToTensor();
        var expected = GaussianBlur.Apply(images, 6.25, 7);

        var baseline = ((ImageBaseline)Baseline.Parse("blur:6.25:7")).Create(images, [0, 1], 0);
        var (model, _) = SyntheticModels.Linear(classes: 2, seed: 1);
        var substrate = Substrate.Parse("blur:6.25:7").Create(images, model);

        Assert.Equal(0, (baseline - expected).abs().max().item<float>());
        Assert.Equal(0, (substrate - expected).abs().max().item<float>());
    }

    [Fact]
    public void Igos_blurs_with_the_reference_kernel_when_its_baseline_says_so()
    {
        var model = SyntheticModels.RegionMean(8, 15, 12);
        var images = TestData.FashionTest.Select(new[] { 0 });
        var options = new IgosOptions { Iterations = 3, MaskSize = 7, TotalVariation = 1 };

        var fixedKernel = new Igos(options with { Baseline = Substrate.Parse("blur:6.25:7") }).Trace(model, images, Target.Class(0));
        var fullKernel = new Igos(options with { Baseline = Substrate.Parse("blur:6.25") }).Trace(model, images, Target.Class(0));

        // The first objective is the image's own (the mask starts at ones); the baseline shows once the mask moves.
        Assert.NotEqual(fixedKernel.Mask, fullKernel.Mask);
    }

    [Fact]
    public void The_column_of_a_kernel_size_substrate_is_apart_from_that_of_a_sigma_alone() =>
        Assert.NotEqual(DeletionMetric.Descriptor.ColumnOf(Substrate.Parse("blur:2:7")),
            DeletionMetric.Descriptor.ColumnOf(Substrate.Parse("blur:27")));
}
