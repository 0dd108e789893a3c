using Saliency.Web.Pictures;

namespace Saliency.Web.Tests;

public sealed class PictureCacheTests
{
    [Fact]
    public void It_holds_no_more_than_its_budget_dropping_the_least_recently_used()
    {
        var cache = new PictureCache(budgetBytes: 1000);
        for (var i = 0; i < 50; i++) cache.GetOrAdd(("s", "map", i, 0), () => new byte[300]);

        Assert.True(cache.Bytes <= 1000, $"{cache.Bytes} bytes held");
        var drawn = 0;
        cache.GetOrAdd(("s", "map", 49, 0), () => { drawn++; return new byte[300]; });
        cache.GetOrAdd(("s", "map", 0, 0), () => { drawn++; return new byte[300]; });
        Assert.Equal(1, drawn);
    }

    [Fact]
    public void A_picture_asked_for_again_is_not_drawn_again()
    {
        var cache = new PictureCache();
        var drawn = 0;
        for (var i = 0; i < 3; i++) cache.GetOrAdd(("s", "image", 1, -1), () => { drawn++; return [1, 2, 3]; });
        Assert.Equal(1, drawn);
    }
}
