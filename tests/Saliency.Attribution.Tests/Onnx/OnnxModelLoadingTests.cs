using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests.Onnx;

/// <summary>An ONNX file as a model reference: <c>--model PATH.onnx</c> and <c>model: PATH.onnx</c> in a sweep spec.</summary>
public class OnnxModelLoadingTests
{
    /// <summary>3×4×4 images → conv → global average → [N, 2, 1, 1].</summary>
    static string PooledModel(string? directory = null) => new OnnxFile(9, [1, 3, 4, 4])
        .Floats("W", [2, 3, 1, 1], 1, 0, 0, 0, 0, 1)
        .Node("Conv", ["x", "W"], ["c"], "mix")
        .Node("GlobalAveragePool", ["c"], ["y"], "pool")
        .Save(directory);

    [Fact]
    public void An_onnx_file_loads_by_its_extension_with_the_input_its_graph_states()
    {
        using var model = ModelLoader.Load(PooledModel());

        Assert.Equal(new ImageShape(3, 4, 4), model.Spec.Input);
        Assert.Equal("onnx", model.Spec.Architecture);
        Assert.False(model.Spec.Normalises);
    }

    [Fact]
    public void Pooled_features_are_scored_as_classes()
    {
        using var model = ModelLoader.Load(PooledModel());
        model.RequireInput(new ImageShape(3, 4, 4), "test");
        using var scope = NewDisposeScope();

        var logits = model.Logits(linspace(0, 1, 2 * 48).reshape(2, 3, 4, 4));

        // Score 0 is the mean of channel 0 (red), score 1 the mean of channel 2 (blue).
        Assert.Equal(2, model.Classes);
        Assert.Equal(new long[] { 2, 2 }, logits.shape);
        Assert.Equal(linspace(0, 1, 96)[..16].mean().item<float>(), logits[0, 0].item<float>(), 5);
    }

    [Fact]
    public void The_json_beside_an_onnx_file_gives_its_normalisation_and_classes()
    {
        var directory = TestData.TemporaryDirectory();
        var path = PooledModel(directory);
        File.WriteAllText(path + ".json", """{"mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25], "classes": ["red", "blue"]}""");

        using var model = ModelLoader.Load(path);

        Assert.True(model.Spec.Normalises);
        Assert.Equal("blue", model.Spec.ClassName(1));
        Assert.Equal(new ImageShape(3, 4, 4), model.Spec.Input);
    }

    [Fact]
    public void A_sweep_declares_the_input_an_onnx_graph_states_without_loading_it()
    {
        var sweepModel = new SweepModel(PooledModel());

        Assert.Equal(new ImageShape(3, 4, 4), sweepModel.DeclaredInput().Input);
        using var loaded = sweepModel.Load();
        Assert.Equal("onnx", loaded.Spec.Architecture);
    }

    [Fact]
    public void An_onnx_file_is_not_torchscript_so_a_silo_that_trusts_only_weights_takes_it()
    {
        Assert.False(ModelLoader.IsTorchScript(PooledModel()));
    }
}
