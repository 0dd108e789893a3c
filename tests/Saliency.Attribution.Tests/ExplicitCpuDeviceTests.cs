using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using TorchSharp;

namespace Saliency.Attribution.Tests;

/// <summary>
/// A model placed on an explicit <c>cpu</c> device computes what the default model computes, to the bit:
/// moving tensors to the model's device and reading maps back on the host change nothing on the CPU.
/// </summary>
public sealed class ExplicitCpuDeviceTests : IClassFixture<ShippedModelFixture>, IDisposable
{
    readonly ImageClassifier byDefault;
    readonly ImageClassifier onCpu = ModelLoader.Load(FashionCnn.BuiltInName, device: ComputeDevice.Resolve("cpu"));
    readonly Data.ImageSet images = TestData.FirstTestImages(3);

    public ExplicitCpuDeviceTests(ShippedModelFixture fixture) => byDefault = fixture.Model;

    public void Dispose() => onCpu.Dispose();

    // Few passes of each: the test compares devices, not maps' quality.
    static readonly Dictionary<string, string> Quick = new()
    {
        ["samples"] = "4",
        ["iterations"] = "2",
        ["masks"] = "64",
        ["steps"] = "8",
    };

    static IAttributionMethod Quickly(string name)
    {
        var method = MethodCatalog.Get(name);
        return method.Create(MethodArguments.For(method, parameter => Quick.GetValueOrDefault(parameter), seed: 7));
    }

    public static TheoryData<string> Methods() => new(MethodCatalog.Names);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Every_method_gives_the_default_models_maps_and_scores(string method)
    {
        AssertSame(Quickly(method));
    }

    [Theory]
    [InlineData("black")]
    [InlineData("blur:3")]
    [InlineData("uniform")]
    [InlineData("gaussian:0.2")]
    [InlineData("max-distance")]
    [InlineData("expected:4")]
    public void Integrated_gradients_with_every_baseline_gives_the_default_models_maps(string baseline)
    {
        AssertSame(new IntegratedGradients(new IntegratedGradientsOptions
        {
            Baseline = Baseline.Parse(baseline, () => ImageCatalog.Of(TestData.FashionTest.Slice(100, 20))),
            Steps = 16,
            Seed = 3,
        }));
    }

    [Theory]
    [InlineData("blur")]
    [InlineData("mean")]
    [InlineData("black")]
    public void Deletion_and_insertion_give_the_default_models_curves(string substrate)
    {
        var maps = new VanillaGradient().Attribute(byDefault, images, Target.Predicted);
        foreach (var metric in new[] { CausalMetric.Deletion(Substrate.Parse(substrate)), CausalMetric.Insertion(Substrate.Parse(substrate)) })
        {
            var expected = metric.Score(byDefault, images, maps);
            var actual = metric.Score(onCpu, images, maps);
            for (var i = 0; i < images.Count; i++) Assert.Equal(expected[i].Curve, actual[i].Curve);
        }
    }

    [Fact]
    public void The_model_and_its_inputs_are_on_the_cpu()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(DeviceType.CPU, onCpu.Device.type);
        Assert.Equal(DeviceType.CPU, onCpu.Input(images.ToTensor()).device_type);
        Assert.All(onCpu.Network.parameters(), p => Assert.Equal(DeviceType.CPU, p.device_type));
    }

    void AssertSame(IAttributionMethod method)
    {
        var expected = method.Attribute(byDefault, images, Target.Predicted);
        var actual = method.Attribute(onCpu, images, Target.Predicted);
        for (var i = 0; i < images.Count; i++)
        {
            Assert.Equal(expected[i].Target, actual[i].Target);
            Assert.Equal(expected[i].Score, actual[i].Score);
            Assert.Equal(expected[i].Map, actual[i].Map);
            Assert.Equal(expected[i].Completeness, actual[i].Completeness);
        }
    }
}
