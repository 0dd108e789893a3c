using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

/// <summary>The spec fields for folders of photographs: labels, bad images, preprocessing and the metric step.</summary>
public class PhotoSpecTests
{
    static SweepSpec Parse(string text) => SweepSpec.Parse(text, "spec.yaml");

    static SweepSpecException Rejected(string text, int line, string field)
    {
        var error = Assert.Throws<SweepSpecException>(() => Parse(text));
        Assert.Equal((line, field), (error.Line, error.Field));
        return error;
    }

    [Fact]
    public void A_folder_sweep_reads_its_labels_csv_bad_image_policy_and_preprocessing()
    {
        var spec = Parse("""
            name: photos
            model: { path: /models/resnet18.safetensors, arch: resnet18, preprocess: { resize: 256, crop: 224 } }
            data: folder:/photos/val:0-999
            labels: /photos/val.csv
            on_bad_image: skip
            metric_step: 0.01
            methods: { gradient: {} }
            """);

        Assert.Equal("/photos/val", spec.Selection.Location);
        Assert.Equal([(0, 999)], spec.Selection.Ranges);
        Assert.Equal("/photos/val.csv", spec.Labels);
        Assert.Equal(BadImagePolicy.Skip, spec.OnBadImage);
        Assert.Equal(new ImagePreprocess(256, 224), spec.Model.Metadata!.Preprocess);
        Assert.Equal(new ImageShape(3, 224, 224), spec.Model.DeclaredInput().Input);
        Assert.Equal(0.01, spec.MetricStep!.Fraction);
    }

    [Fact]
    public void Bad_images_fail_their_work_by_default() =>
        Assert.Equal(BadImagePolicy.Fail, Parse("name: n\ndata: fashion-mnist:test\nmethods: {gradient: {}}\n").OnBadImage);

    [Theory]
    [InlineData("224", 224, null)]
    [InlineData("0.01", null, 0.01)]
    public void A_metric_step_is_pixels_or_a_fraction_of_them(string text, int? pixels, double? fraction)
    {
        var step = Parse($"name: n\ndata: fashion-mnist:test\nmethods: {{gradient: {{}}}}\nmetric_step: {text}\n").MetricStep!;
        Assert.Equal((pixels, fraction), (step.Pixels, step.Fraction));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("row")]
    public void A_metric_step_that_is_neither_is_rejected(string text) =>
        Assert.Contains("neither a whole number of pixels", Rejected($"name: n\ndata: fashion-mnist:test\nmethods: {{gradient: {{}}}}\nmetric_step: {text}\n", 4, "metric_step").Message);

    [Fact]
    public void A_fraction_step_resolves_against_the_image_size()
    {
        Assert.Equal(502, MetricStep.Resolve(MetricStep.OfFraction(0.01), 224, 224));
        Assert.Equal(8, MetricStep.Resolve(MetricStep.OfFraction(0.01), 28, 28));
        Assert.Equal(1, MetricStep.Resolve(MetricStep.OfFraction(0.0001), 28, 28));
        Assert.Equal(28, MetricStep.Resolve(null, 28, 28));
    }

    [Fact]
    public void An_unknown_bad_image_policy_names_the_known_ones() =>
        Assert.Contains("known: fail, skip", Rejected("name: n\ndata: folder:/p\nmethods: {gradient: {}}\non_bad_image: ignore\n", 4, "on_bad_image").Message);

    [Fact]
    public void Labels_for_data_that_is_not_a_folder_are_rejected() =>
        Assert.Contains("is not a folder", Rejected("name: n\ndata: fashion-mnist:test\nlabels: l.csv\nmethods: {gradient: {}}\n", 3, "labels").Message);

    [Fact]
    public void A_resize_smaller_than_the_crop_is_rejected() =>
        Assert.Contains("resize 200 is smaller than crop 224",
            Rejected("name: n\ndata: folder:/p\nmodel: { path: m.pt, preprocess: { resize: 200, crop: 224 } }\nmethods: {gradient: {}}\n", 3, "model.preprocess").Message);

    [Fact]
    public void A_preprocess_key_that_is_not_known_is_rejected() =>
        Assert.Contains("unknown key 'size'",
            Rejected("name: n\ndata: folder:/p\nmodel: { path: m.pt, preprocess: { size: 224 } }\nmethods: {gradient: {}}\n", 3, "model.preprocess.size").Message);
}
