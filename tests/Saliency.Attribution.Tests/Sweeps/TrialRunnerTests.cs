using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests.Sweeps;

public class TrialRunnerTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    const string Spec = """
        name: runner
        data: fashion-mnist:test:0-11
        methods:
          ig: {baseline: uniform, steps: 8}
          smoothgrad: {samples: 4}
          random: {}
        seed: 7
        maps: 5
        """;

    readonly SweepSpec spec = SweepSpec.Parse(Spec, "spec.yaml");
    readonly ImageSet images = TestData.FirstTestImages(12);

    static ImageCatalog NoReferences() => throw new InvalidOperationException("no trial here draws references");

    TrialRunner Runner(ImageClassifier? model = null) => new(spec, model ?? shipped.Model, NoReferences);

    Trial TrialOf(string method) => spec.Trials.Single(t => t.Method == method);

    [Fact]
    public void A_model_randomisation_step_gives_each_images_rho_and_a_step_past_the_models_cascade_is_done_with_no_images()
    {
        var checkedSpec = SweepSpec.Parse(Spec + "\nsanity: [model-randomisation]\n", "spec.yaml");
        var runner = new TrialRunner(checkedSpec, shipped.Model, NoReferences);
        var trial = checkedSpec.Trials.Single(t => t.Method == "random");
        var few = images.Slice(0, 3);

        var last = runner.Run(trial, 0, few, new HashSet<int>(), part: 4);
        var past = runner.Run(trial, 0, few, new HashSet<int>(), part: 5);

        Assert.Equal((4, 4, 3), (last.PartIndex, last.RandomisedLayers!.Count, last.Images.Count));
        // A random map seeded per image does not change with the model.
        Assert.All(last.Images, image => Assert.Equal(1, Assert.Single(image.ModelRandomisation!), 9));
        Assert.Equal((5, 4, 0), (past.PartIndex, past.RandomisedLayers!.Count, past.Images.Count));
    }

    [Fact]
    public void An_ig_trial_measures_what_integrated_gradients_and_the_causal_metrics_measure_directly()
    {
        var outcome = Runner().Run(TrialOf("ig"), 0, images, spec.KeysWithMaps(images.Keys));

        var maps = new IntegratedGradients(new IntegratedGradientsOptions { Baseline = Baseline.Parse("uniform"), Steps = 8, Seed = 7 })
            .Attribute(shipped.Model, images, Target.Predicted);
        var deletion = CausalMetric.Deletion().Score(shipped.Model, images, maps);
        var insertion = CausalMetric.Insertion().Score(shipped.Model, images, maps);
        Assert.Equal(images.Count, outcome.Images.Count);
        for (var i = 0; i < images.Count; i++)
        {
            var (measured, direct) = (outcome.Images[i], maps[i]);
            Assert.Equal((images.Keys[i], images.Labels[i], direct.Target, 8), (measured.Key, measured.Label, measured.Target, measured.Steps));
            Assert.Equal(direct.Score, measured.Score, 1e-6);
            Assert.Equal(direct.Completeness!.BaselineScore, measured.BaselineScore!.Value, 1e-6);
            Assert.Equal(direct.Completeness.AttributionSum, measured.AttributionSum, 1e-6);
            Assert.Equal(direct.Completeness.Delta, measured.Delta!.Value, 1e-6);
            Assert.Equal(direct.Completeness.RelativeDelta(direct.Score), measured.RelativeDelta!.Value, 1e-6);
            Assert.Equal(deletion[i].Auc, measured.DeletionAuc!.Value, 1e-6);
            Assert.Equal(insertion[i].Auc, measured.InsertionAuc!.Value, 1e-6);
        }
    }

    [Fact]
    public void Progress_rises_through_attribution_and_each_metric_image_by_image_to_every_image()
    {
        var reported = new List<double>();

        Runner().Run(TrialOf("random"), 0, images, new HashSet<int>(), progress: reported.Add);

        // Attribution is one third of the work, then deletion and insertion a third each, one image at a time.
        Assert.Equal(1 + 2 * images.Count, reported.Count);
        Assert.Equal(images.Count / 3.0, reported[0], 1e-9);
        Assert.Equal(images.Count * 2 / 3.0, reported[images.Count], 1e-9);
        Assert.Equal(images.Count, reported[^1], 1e-9);
        Assert.True(reported.Zip(reported.Skip(1)).All(pair => pair.Second > pair.First));
    }

    [Fact]
    public void An_empty_shard_gives_an_outcome_with_no_images_and_its_skipped_files()
    {
        var skipped = new[] { new SkippedImage(3, "/photos/3.jpg", "empty file (0 bytes)") };

        var outcome = Runner().Run(TrialOf("random"), 2, images.Slice(0, 0), new HashSet<int>(), skipped);

        Assert.Empty(outcome.Images);
        Assert.Equal(skipped, outcome.Skipped);
    }

    [Fact]
    public void Maps_are_kept_for_the_sweeps_first_images_only()
    {
        var outcome = Runner().Run(TrialOf("random"), 0, images, spec.KeysWithMaps(images.Keys));

        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, outcome.Maps.Select(m => m.Key));
        var map = outcome.Maps[0];
        Assert.Equal((1, 28, 28, 28 * 28), (map.Channels, map.Height, map.Width, map.Map.Length));
    }

    [Fact]
    public void Methods_without_a_path_report_no_completeness()
    {
        var outcome = Runner().Run(TrialOf("random"), 0, images.Slice(0, 2), new HashSet<int>());

        Assert.All(outcome.Images, image => Assert.Null(image.Delta));
        Assert.All(outcome.Images, image => Assert.Null(image.BaselineScore));
        Assert.Empty(outcome.Maps);
    }

    [Theory]
    [InlineData("ig")]
    [InlineData("smoothgrad")]
    [InlineData("random")]
    public void Outcomes_do_not_depend_on_how_the_images_are_sharded(string method)
    {
        var trial = TrialOf(method);
        var keysWithMaps = spec.KeysWithMaps(images.Keys);
        var whole = Runner().Run(trial, 0, images, keysWithMaps);
        var sharded = Enumerable.Range(0, 3).Select(shard => Runner().Run(trial, shard, images.Slice(shard * 4, 4), keysWithMaps)).ToArray();

        var pieces = sharded.SelectMany(s => s.Images).ToArray();
        Assert.Equal(whole.Images.Count, pieces.Length);
        for (var i = 0; i < pieces.Length; i++)
        {
            var (one, many) = (whole.Images[i], pieces[i]);
            Assert.Equal((one.Key, one.Label, one.Target, one.Steps), (many.Key, many.Label, many.Target, many.Steps));
            foreach (var (a, b) in new[] { (one.Score, many.Score), (one.AttributionSum, many.AttributionSum) })
                Assert.True(Float32Close(a, b), $"image {one.Key}: {a} against {b}");
            foreach (var (a, b) in new[] { (one.BaselineScore, many.BaselineScore), (one.Delta, many.Delta), (one.DeletionAuc, many.DeletionAuc), (one.InsertionAuc, many.InsertionAuc) })
            {
                Assert.Equal(a is null, b is null);
                if (a is { } x && b is { } y) Assert.True(Float32Close(x, y), $"image {one.Key}: {x} against {y}");
            }
        }
        var sampled = sharded.SelectMany(s => s.Maps).ToArray();
        Assert.Equal(whole.Maps.Select(m => m.Key), sampled.Select(m => m.Key));
        for (var i = 0; i < sampled.Length; i++)
            Assert.Equal(whole.Maps[i].Map.Select(v => (double)v), sampled[i].Map.Select(v => (double)v), Float32Close);
    }

    [Fact]
    public void A_batch_sized_from_a_memory_budget_gives_the_outcomes_of_a_fixed_batch()
    {
        var auto = SweepSpec.Parse(Spec + "\nbatch: auto\n", "spec.yaml");
        var trial = TrialOf("ig");
        var keysWithMaps = spec.KeysWithMaps(images.Keys);
        // A budget of one byte allows one image per pass: 96 passes where the fixed batch of 64 takes 2.
        var budgeted = new TrialRunner(auto, shipped.Model, NoReferences, batchMemoryBytes: 1).Run(trial, 0, images, keysWithMaps);
        var fixedBatch = Runner().Run(trial, 0, images, keysWithMaps);

        Assert.Equal(1, ActivationMemory.BatchFor(shipped.Model, images.Shape, 1));
        for (var i = 0; i < images.Count; i++)
        {
            var (a, b) = (budgeted.Images[i], fixedBatch.Images[i]);
            Assert.True(Float32Close(b.AttributionSum, a.AttributionSum), $"image {a.Key}: {a.AttributionSum} against {b.AttributionSum}");
            Assert.True(Float32Close(b.Delta!.Value, a.Delta!.Value), $"image {a.Key}: {a.Delta} against {b.Delta}");
            // Passes of one image may run other kernels than passes of 64: pixels whose map values tie to the last bit may
            // swap places in the deletion order, which moves the curve by far less than 1e-4.
            Assert.Equal(b.DeletionAuc!.Value, a.DeletionAuc!.Value, 1e-4);
        }
    }

    [Fact]
    public void A_model_that_outputs_nan_fails_naming_the_image_and_the_trial()
    {
        using var model = new ImageClassifier(new ModelSpec("nan", images.Shape, null, null, Array.Empty<string>()), new NanLogits());

        var error = Assert.Throws<InvalidOperationException>(() => Runner(model).Run(TrialOf("ig"), 0, images.Slice(3, 2), new HashSet<int>()));
        Assert.Equal("model output is NaN for image 3 in trial ig baseline=uniform steps=8 rule=gausslegendre", error.Message);
    }

    [Fact]
    public void A_noop_trial_gives_zero_maps_for_the_labels_without_running_the_model()
    {
        var noop = SweepSpec.Parse("""
            name: machinery
            data: fashion-mnist:test:0-11
            methods:
              noop: { variant: [1, 2] }
            metrics: [completeness]
            objective: delta
            """, "noop.yaml");
        using var model = new ImageClassifier(new ModelSpec("unrunnable", images.Shape, null, null, Array.Empty<string>()), new Unrunnable());

        var outcomes = noop.Trials.Select(trial => new TrialRunner(noop, model, NoReferences).Run(trial, 0, images, new HashSet<int>())).ToArray();

        Assert.Equal(new[] { "noop variant=1", "noop variant=2" }, noop.Trials.Select(t => t.Label));
        foreach (var outcome in outcomes)
        {
            Assert.Equal(images.Labels, outcome.Images.Select(i => i.Target));
            Assert.All(outcome.Images, image => Assert.Equal((0.0, 0.0, (double?)null), (image.Score, image.AttributionSum, image.Delta)));
        }
    }

    sealed class Unrunnable() : TorchSharp.torch.nn.Module<Tensor, Tensor>("unrunnable")
    {
        public override Tensor forward(Tensor input) => throw new InvalidOperationException("the model was run");
    }

    /// <summary>Ten logits that are NaN yet depend on the input, so gradients can still be taken.</summary>
    /// <summary>
    /// Equal up to the rounding of float32 sums taken in another order: a pass over 4 images may use other kernels than one
    /// over 12, and on some CPUs they add in another order. A few units in the last place of float32, relative to the value.
    /// </summary>
    static bool Float32Close(double a, double b) => Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(a));

    sealed class NanLogits() : TorchSharp.torch.nn.Module<Tensor, Tensor>("nan-logits")
    {
        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            // Finite on the black images the loader probes with, so the failure is found image by image.
            var sums = input.flatten(1).abs().sum(1, keepdim: true);
            return where(sums > 0, sums * double.NaN, sums).expand(-1, 10).MoveToOuterDisposeScope();
        }
    }
}
