using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests;

[Collection(NativeHeapCollection.Name)]
public class ActivationMemoryTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    static readonly Data.ImageShape FashionImage = new(1, 28, 28);

    [Fact]
    public void An_image_costs_at_least_the_first_convolutions_output_and_less_than_a_hundred_times_it()
    {
        const long firstConvolutionOutput = 32 * 28 * 28 * sizeof(float);

        var bytes = ActivationMemory.BytesPerImage(shipped.Model, FashionImage);

        Assert.InRange(bytes, firstConvolutionOutput, 100 * firstConvolutionOutput);
    }

    [Fact]
    public void The_batch_a_budget_allows_fits_it_and_twice_that_batch_does_not()
    {
        const long budget = 64L << 20;

        var batch = ActivationMemory.BatchFor(shipped.Model, FashionImage, budget);

        Assert.InRange(batch, 8, ActivationMemory.MaxBatch / 2);
        Assert.InRange(ActivationMemory.PassBytes(shipped.Model, FashionImage, batch), 1, budget * 11 / 10);
        Assert.True(ActivationMemory.PassBytes(shipped.Model, FashionImage, 2 * batch) > budget);
    }

    [Fact]
    public void A_budget_below_one_image_still_allows_one_and_a_budget_beyond_reason_is_capped()
    {
        Assert.Equal(1, ActivationMemory.BatchFor(shipped.Model, FashionImage, 1024));
        Assert.Equal(ActivationMemory.MaxBatch, ActivationMemory.BatchFor(shipped.Model, FashionImage, 1L << 50));
    }

    [Fact]
    public void A_budget_that_is_not_positive_is_refused_naming_it() =>
        Assert.Contains("the batch memory budget must be positive, got 0 bytes",
            Assert.Throws<ArgumentOutOfRangeException>(() => ActivationMemory.BatchFor(shipped.Model, FashionImage, 0)).Message);
}
