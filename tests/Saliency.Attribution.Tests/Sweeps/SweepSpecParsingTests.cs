using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Sweeps;

public class SweepSpecParsingTests
{
    public const string Example = """
        name: fashion-baselines
        model: fashion-cnn                  # or a path to a TorchScript / safetensors model
        data: fashion-mnist:test:0-999      # or folder:PATH  (ImageSelection syntax)
        target: predicted                   # predicted | label | class index
        methods:
          ig:   { baseline: [black, blur:5, uniform, gaussian:0.5, max-distance, expected:16], steps: [8, 16, 32, 64, 128], rule: [gausslegendre, riemann_trapezoid] }
          igos: { iterations: 15 }
          gradcam: {}
        metrics: [deletion, insertion, completeness]
        shard: 64
        seed: 7
        """;

    public const string ExampleAsJson = """
        {
          "name": "fashion-baselines",
          "model": "fashion-cnn",
          "data": "fashion-mnist:test:0-999",
          "target": "predicted",
          "methods": {
            "ig": {"baseline": ["black", "blur:5", "uniform", "gaussian:0.5", "max-distance", "expected:16"],
                   "steps": [8, 16, 32, 64, 128], "rule": ["gausslegendre", "riemann_trapezoid"]},
            "igos": {"iterations": 15},
            "gradcam": {}
          },
          "metrics": ["deletion", "insertion", "completeness"],
          "shard": 64,
          "seed": 7
        }
        """;

    [Fact]
    public void The_example_expands_to_every_ig_combination_then_igos_then_gradcam()
    {
        var spec = SweepSpec.Parse(Example, "spec.yaml");

        Assert.Equal(6 * 5 * 2 + 1 + 1, spec.Trials.Count);
        Assert.Equal(Enumerable.Range(0, 62), spec.Trials.Select(t => t.Index));
        Assert.Equal("ig baseline=black steps=8 rule=gausslegendre", spec.Trials[0].Label);
        Assert.Equal("ig baseline=black steps=8 rule=riemann_trapezoid", spec.Trials[1].Label);
        Assert.Equal("ig baseline=black steps=16 rule=gausslegendre", spec.Trials[2].Label);
        Assert.Equal("ig baseline=blur:5 steps=8 rule=gausslegendre", spec.Trials[10].Label);
        Assert.Equal("ig baseline=expected:16 steps=128 rule=riemann_trapezoid", spec.Trials[59].Label);
        Assert.Equal("igos iterations=15", spec.Trials[60].Label);
        Assert.Equal("gradcam", spec.Trials[61].Label);
    }

    [Fact]
    public void The_example_keeps_its_declared_settings()
    {
        var spec = SweepSpec.Parse(Example, "spec.yaml");

        Assert.Equal("fashion-baselines", spec.Name);
        Assert.Equal("fashion-cnn", spec.Model.Reference);
        Assert.Equal(("fashion-mnist", "test"), (spec.Selection.Kind, spec.Selection.Location));
        Assert.Equal((0, 999), Assert.Single(spec.Selection.Ranges));
        Assert.Equal(Target.Predicted, spec.Target);
        Assert.Equal(new[] { "deletion", "insertion", "completeness" }, spec.Metrics);
        Assert.Equal((64, 7L, (int?)null), (spec.ShardSize, spec.Seed, spec.Sample));
        Assert.Equal(Example, spec.Text);
    }

    [Fact]
    public void Unnamed_fields_take_their_defaults()
    {
        var spec = SweepSpec.Parse("name: n\ndata: fashion-mnist:test\nmethods: {gradient: {}}\n", "spec.yaml");

        Assert.Equal("fashion-cnn", spec.Model.Reference);
        Assert.Equal(Target.Predicted, spec.Target);
        Assert.Equal(MetricCatalog.Defaults(groundTruth: false), spec.Metrics);
        Assert.Equal(("blur", "blur"), (spec.DeletionSubstrate.Name, spec.InsertionSubstrate.Name));
        Assert.Equal((64, 0L, 8, PassBatch.Default), (spec.ShardSize, spec.Seed, spec.Maps, spec.Batch));
        Assert.Equal((ScoreKind.Logit, SweepObjective.InsertionMinusDeletion), (spec.Score, spec.Objective));
        Assert.Null(spec.MetricStep);
    }

    [Fact]
    public void Deletion_under_several_substrates_gives_the_first_its_usual_column_and_each_other_its_own()
    {
        var spec = SweepSpec.Parse(
            "name: n\ndata: fashion-mnist:test\nmethods: {gradient: {}}\nmetrics: [deletion, insertion, road]\nsubstrate: {deletion: [blur, black, 'blur:3'], insertion: mean}\n",
            "spec.yaml");

        Assert.Equal(["blur", "black", "blur:3"], spec.DeletionSubstrates.Select(s => s.Name));
        Assert.Equal(("blur", "mean"), (spec.DeletionSubstrate.Name, spec.InsertionSubstrate.Name));
        Assert.Equal(
            ["score", "deletion_auc", "deletion_auc_black", "deletion_auc_blur3", "insertion_auc", "insertion_minus_deletion", "road_morf", "road_lerf"],
            Saliency.Attribution.Results.MetricNames.ColumnsFor(spec));
        Assert.Equal((false, true),
            (Saliency.Attribution.Results.MetricNames.HigherIsBetter("deletion_auc_black")!.Value, Saliency.Attribution.Results.MetricNames.HigherIsBetter("road_lerf")!.Value));
    }

    [Fact]
    public void Batch_auto_leaves_the_size_to_each_worker()
    {
        var spec = SweepSpec.Parse("name: n\ndata: fashion-mnist:test\nmethods: {gradient: {}}\nbatch: auto\n", "spec.yaml");

        Assert.Equal(PassBatch.Auto, spec.Batch);
    }

    [Fact]
    public void The_json_form_parses_to_the_same_trials()
    {
        var yaml = SweepSpec.Parse(Example, "spec.yaml");
        var json = SweepSpec.Parse(ExampleAsJson, "spec.json");

        Assert.Equal(yaml.Trials.Select(t => (t.Index, t.Label)), json.Trials.Select(t => (t.Index, t.Label)));
        Assert.Equal((yaml.Name, yaml.Data, yaml.ShardSize, yaml.Seed), (json.Name, json.Data, json.ShardSize, json.Seed));
    }

    [Fact]
    public void Ig_trials_always_name_baseline_steps_and_rule_in_canonical_form()
    {
        var spec = SweepSpec.Parse("name: n\ndata: fashion-mnist:test\nmethods:\n  ig: {steps: 016, baseline: blur}\n", "spec.yaml");

        var trial = Assert.Single(spec.Trials);
        Assert.Equal(new[] { "steps", "baseline", "rule" }, trial.Parameters.Keys);
        Assert.Equal(new[] { "16", "blur:5", "gausslegendre" }, trial.Parameters.Values);
    }

    [Fact]
    public void Other_methods_name_only_the_parameters_the_spec_names()
    {
        var spec = SweepSpec.Parse("name: n\ndata: fashion-mnist:test\nmethods:\n  smoothgrad: {noise: [0.1, 0.2]}\n  random:\n", "spec.yaml");

        Assert.Equal(new[] { "smoothgrad noise=0.1", "smoothgrad noise=0.2", "random" }, spec.Trials.Select(t => t.Label));
    }

    [Fact]
    public void A_model_mapping_declares_the_models_input()
    {
        var spec = SweepSpec.Parse("""
            name: n
            model: {path: models/net.safetensors, arch: resnet18, input: [3, 32, 32], mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25]}
            data: folder:/images
            methods: {gradient: {}}
            """, "spec.yaml");

        Assert.Equal("models/net.safetensors", spec.Model.Reference);
        Assert.Equal("resnet18", spec.Model.Metadata!.Architecture);
        Assert.Equal(new[] { 3, 32, 32 }, spec.Model.Metadata.Input);
        Assert.Equal(new[] { 0.25f, 0.25f, 0.25f }, spec.Model.Metadata.Std);
    }

    [Fact]
    public void Every_method_can_be_built_from_its_defaults_alone()
    {
        foreach (var method in MethodCatalog.All)
            Assert.NotNull(method.Create(MethodArguments.For(method, _ => null)));
    }

    [Fact]
    public void Shards_cut_the_selection_into_consecutive_runs()
    {
        var spec = SweepSpec.Parse("name: n\ndata: fashion-mnist:test\nmethods: {random: {}}\nshard: 4\nmaps: 3\n", "spec.yaml");
        var images = TestData.FashionTest.Slice(0, 10);

        Assert.Equal(3, spec.ShardCount(images.Count));
        Assert.Equal(new[] { 8, 9 }, spec.ShardOf(images, 2).Keys);
        Assert.Equal(new[] { 0, 1, 2 }, spec.KeysWithMaps(images.Keys).Order());
    }
}
