using Saliency.Attribution.Data;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Tests;

public class PassBatchTests
{
    [Theory]
    [InlineData(1, 28, 28, 64)]
    [InlineData(3, 224, 224, 32)]
    [InlineData(3, 299, 299, 16)]
    [InlineData(3, 448, 448, 8)]
    [InlineData(3, 2000, 2000, 1)]
    [InlineData(1, 1, 1, 64)]
    public void The_default_is_the_largest_power_of_two_up_to_64_that_keeps_a_pass_within_32_images_of_224_by_224(int channels, int height, int width, int expected)
    {
        var batch = PassBatch.DefaultFor(new ImageShape(channels, height, width));

        Assert.Equal(expected, batch);
        Assert.True(batch == 1 || (long)batch * height * width <= PassBatch.DefaultPixels);
    }

    [Fact]
    public void A_given_size_is_kept_whatever_the_input()
    {
        var batch = PassBatch.Of(48);

        Assert.Equal((48, false), (batch.Size, batch.FitsMemory));
        Assert.Equal("48", batch.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_size_below_one_image_is_refused(int size) =>
        Assert.Contains($"got {size}", Assert.Throws<ArgumentOutOfRangeException>(() => PassBatch.Of(size)).Message);

    [Fact]
    public void Default_and_auto_are_told_apart_by_name() => Assert.Equal(("default", "auto"), (PassBatch.Default.ToString(), PassBatch.Auto.ToString()));
}
