using Saliency.Attribution.Data;

namespace Saliency.Attribution.Tests.Images;

public class ShardReaderTests
{
    /// <summary>A store that counts its reads and can be made to fail, standing for a folder of photographs.</summary>
    sealed class CountingStore : IImageStore
    {
        int reads;
        public int Reads => Volatile.Read(ref reads);
        public volatile bool Broken;
        public ManualResetEventSlim Gate { get; } = new(true);

        public string Describe(int key) => $"image {key}";

        public void Read(int key, ImageShape shape, Span<float> destination)
        {
            Gate.Wait();
            Interlocked.Increment(ref reads);
            if (Broken) throw new IOException("the disk went away");
            destination.Fill(key);
        }
    }

    static readonly ImageShape Shape = new(1, 2, 2);

    static (ShardReader Reader, CountingStore Store) Reader(int images, int capacity)
    {
        var store = new CountingStore();
        var catalog = new ImageCatalog("test", Shape, store, Enumerable.Range(0, images).ToArray(), new int[images]);
        return (new ShardReader(catalog, BadImagePolicy.Fail, capacity), store);
    }

    [Fact]
    public void The_trials_of_a_shard_share_one_decode()
    {
        var (reader, store) = Reader(20, capacity: 2);
        using var _ = reader;

        using var first = reader.Read(0, 10);
        using var second = reader.Read(0, 10);

        Assert.Same(first.Images, second.Images);
        Assert.Equal(10, store.Reads);
        Assert.Equal(Enumerable.Range(0, 10), first.Images.Keys);
        Assert.Equal(7f, first.Images.Image(7)[0]);
    }

    [Fact]
    public void A_prefetched_shard_is_decoded_off_the_reading_thread()
    {
        var (reader, store) = Reader(20, capacity: 2);
        using var _ = reader;

        reader.Prefetch(10, 10);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (store.Reads < 10 && DateTime.UtcNow < deadline) Thread.Sleep(5);

        Assert.Equal(10, store.Reads);
        using (var read = reader.Read(10, 10)) Assert.Equal(10f, read.Images.Image(0)[0]);
        Assert.Equal(10, store.Reads);
    }

    [Fact]
    public async Task A_read_waits_for_a_prefetch_still_decoding_rather_than_decoding_again()
    {
        var (reader, store) = Reader(20, capacity: 2);
        using var _ = reader;
        store.Gate.Reset();

        reader.Prefetch(0, 10);
        var read = Task.Run(() => { using var lease = reader.Read(0, 10); return lease.Images.Count; });
        await Task.Delay(50);
        Assert.False(read.IsCompleted);
        store.Gate.Set();

        Assert.Equal(10, await read.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(10, store.Reads);
    }

    [Fact]
    public void Only_capacity_shards_stay_decoded()
    {
        var (reader, store) = Reader(40, capacity: 2);
        using var _ = reader;

        foreach (var start in new[] { 0, 10, 20, 30 }) reader.Read(start, 10).Dispose();
        reader.Read(30, 10).Dispose();
        Assert.Equal(40, store.Reads);
        reader.Read(0, 10).Dispose();
        Assert.Equal(50, store.Reads);
    }

    [Fact]
    public void A_failed_read_is_not_kept()
    {
        var (reader, store) = Reader(10, capacity: 2);
        using var _ = reader;
        store.Broken = true;

        Assert.Throws<IOException>(() => reader.Read(0, 10));
        store.Broken = false;

        using var read = reader.Read(0, 10);
        Assert.Equal(10, read.Images.Count);
    }

    [Fact]
    public void The_array_of_a_shard_no_longer_kept_or_held_is_decoded_into_again()
    {
        var (reader, _) = Reader(30, capacity: 1);
        using var __ = reader;

        float[] first;
        using (var lease = reader.Read(0, 10)) first = lease.Images.Pixels;
        reader.Read(10, 10).Dispose();
        using var third = reader.Read(20, 10);

        Assert.Same(first, third.Images.Pixels);
        Assert.Equal(20f, third.Images.Image(0)[0]);
    }

    [Fact]
    public void The_array_of_a_shard_still_held_is_never_decoded_into()
    {
        var (reader, _) = Reader(30, capacity: 1);
        using var __ = reader;

        using var held = reader.Read(0, 10);
        reader.Read(10, 10).Dispose();
        using var third = reader.Read(20, 10);

        Assert.NotSame(held.Images.Pixels, third.Images.Pixels);
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(i, held.Images.Image(i)[0]));
    }

    [Fact]
    public void A_shard_outside_the_catalogue_says_the_folder_may_have_changed()
    {
        var (reader, _) = Reader(10, capacity: 2);
        using var __ = reader;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => reader.Read(5, 10));
        Assert.Contains("folder changed", error.Message);
    }
}
