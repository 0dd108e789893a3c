using Saliency.Attribution.Methods;

namespace Saliency.Attribution.Tests;

/// <summary>What a method's descriptor says it draws on holds for its maps: a method that declares no seed ignores it.</summary>
[Collection(NativeHeapCollection.Name)]
public class MethodNeedsTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    public static TheoryData<string> Unseeded => [.. MethodCatalog.All.Where(m => !m.Needs.HasFlag(MethodNeeds.Seed)).Select(m => m.Name)];

    float[][] Maps(string name, long seed)
    {
        var method = MethodCatalog.Get(name);
        var arguments = MethodArguments.For(method, _ => null, seed: seed);
        return [.. method.Create(arguments).Attribute(shipped.Model, TestData.FirstTestImages(2), Target.Predicted).Select(a => a.Map)];
    }

    [Theory]
    [MemberData(nameof(Unseeded))]
    public void A_method_that_declares_no_seed_gives_the_same_maps_under_any_seed(string name)
    {
        Assert.Equal(Maps(name, seed: 1), Maps(name, seed: 2));
    }

    [Theory]
    [InlineData("random")]
    [InlineData("smoothgrad")]
    [InlineData("rise")]
    public void A_method_that_draws_random_numbers_declares_the_seed_and_moves_with_it(string name)
    {
        Assert.True(MethodCatalog.Get(name).Needs.HasFlag(MethodNeeds.Seed));
        Assert.NotEqual(Maps(name, seed: 1), Maps(name, seed: 2));
    }

    [Fact]
    public void Grad_cam_declares_the_layer_it_reads() => Assert.True(MethodCatalog.Get("gradcam").Needs.HasFlag(MethodNeeds.Layer));
}
