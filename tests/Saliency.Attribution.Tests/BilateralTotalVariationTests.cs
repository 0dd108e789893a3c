using Saliency.Attribution.Methods;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>iGOS++'s bilateral TV on a 4×4 image whose left half is 0 and right half 1, the mask at the image's resolution.</summary>
public class BilateralTotalVariationTests
{
    static readonly float[] Halves = [0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1];

    static double Of(float[] mask, float[]? std = null)
    {
        using var scope = NewDisposeScope();
        var image = tensor(Halves, [1, 1, 4, 4]);
        var m = tensor(mask, [1, 1, 4, 4]);
        return new BilateralTotalVariation(image, std, beta: 2, sigma: 0.01).Of(m, m).item<float>();
    }

    [Fact]
    public void A_constant_mask_costs_nothing() =>
        Assert.Equal(0, Of(Enumerable.Repeat(0.7f, 16).ToArray()), 7);

    [Fact]
    public void A_mask_edge_on_the_image_edge_costs_half_of_one_across_a_flat_region()
    {
        // Mask edge between columns 1 and 2, where the image steps by 1: ½(TV 4/12 + e^(−1/0.01)·4/12).
        var alongEdge = Of(Halves);
        // Mask edge between rows 1 and 2, across a region where the image is flat: ½(TV 4/12 + 1·4/12).
        var acrossFlat = Of([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);

        Assert.Equal(0.5 * (1.0 / 3 + Math.Exp(-100) / 3), alongEdge, 6);
        Assert.Equal(1.0 / 3, acrossFlat, 6);
        Assert.True(alongEdge < acrossFlat);
    }

    [Fact]
    public void Image_edges_are_measured_in_the_models_normalised_space()
    {
        // With std 10 the image steps by 0.1: the weight is e^(−0.01/0.01).
        Assert.Equal(0.5 * (1.0 / 3 + Math.Exp(-1) / 3), Of(Halves, [10f]), 6);
    }
}
