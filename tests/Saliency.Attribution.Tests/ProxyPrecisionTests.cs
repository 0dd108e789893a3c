using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>Whether a model's bfloat16 copy becomes its curves' proxy: measured, chosen once per shape, disposed with the model.</summary>
public class ProxyPrecisionTests
{
    [Fact]
    public void A_measured_copy_is_kept_in_bfloat16_exactly_when_it_ran_fast_enough()
    {
        using var model = SyntheticModels.RegionMean(8, 15, 12);

        var (copy, speedup) = ProxyPrecision.Measure(model, SyntheticModels.Shape, 16, () => SyntheticModels.RegionMean(8, 15, 12));

        using var kept = copy;
        Assert.True(double.IsFinite(speedup) && speedup > 0, $"speed-up {speedup}");
        Assert.Equal(speedup >= ProxyPrecision.MinimumSpeedup, copy is not null);
        if (copy is not null) Assert.Equal(ScalarType.BFloat16, copy.DType);
    }

    [Fact]
    public void The_copy_s_own_failure_is_not_hidden_as_a_missing_proxy()
    {
        using var model = SyntheticModels.RegionMean(8, 15, 12);

        Assert.Throws<FileNotFoundException>(() => ProxyPrecision.Measure(model, SyntheticModels.Shape, 16, () => throw new FileNotFoundException("gone")));
    }

    [Fact]
    public void A_model_chooses_its_proxy_once_per_image_shape()
    {
        using var model = SyntheticModels.RegionMean(8, 15, 12);
        var choices = 0;
        ImageClassifier? Choose()
        {
            choices++;
            return choices == 1 ? SyntheticModels.RegionMean(8, 15, 12).To(ScalarType.BFloat16) : null;
        }

        var first = model.ProxyFor(SyntheticModels.Shape, Choose);
        var again = model.ProxyFor(SyntheticModels.Shape, Choose);
        var other = model.ProxyFor(new(1, 32, 32), Choose);

        Assert.NotNull(first);
        Assert.Same(first, again);
        Assert.Null(other);
        Assert.Equal(2, choices);
    }
}
