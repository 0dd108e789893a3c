using System.Collections.Concurrent;

namespace Saliency.Attribution.Data;

/// <summary>
/// Decodes a catalogue's shards ahead of the work that needs them, on a thread of its own, and keeps the last
/// few decoded: the trials of one shard then share one decode, and the next shard decodes while the current
/// one computes. Memory stays at <c>capacity</c> shards whatever the catalogue's size. A read that failed is
/// not kept, so a transient error does not stick.
/// </summary>
public sealed class ShardReader : IDisposable
{
    readonly ImageCatalog catalog;
    readonly BadImagePolicy policy;
    readonly int capacity;
    readonly LinkedList<(Range Images, Task<ImageRead> Read)> kept = new();
    readonly BlockingCollection<(Range Images, TaskCompletionSource<ImageRead> Read)> pending = new();
    readonly Thread decoder;

    public ShardReader(ImageCatalog catalog, BadImagePolicy policy, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.catalog = catalog;
        this.policy = policy;
        this.capacity = capacity;
        decoder = new Thread(DecodeAhead) { IsBackground = true, Name = "saliency-decode" };
        decoder.Start();
    }

    public ImageCatalog Catalog => catalog;

    /// <summary>Starts decoding images [start, start + count) unless they are decoded or on their way.</summary>
    public void Prefetch(int start, int count)
    {
        var images = Check(start, count);
        lock (kept)
        {
            if (Find(images) is not null || pending.IsAddingCompleted) return;
            var read = new TaskCompletionSource<ImageRead>(TaskCreationOptions.RunContinuationsAsynchronously);
            Keep(images, read.Task);
            pending.Add((images, read));
        }
    }

    /// <summary>The images [start, start + count): decoded already, waited for while they decode, or decoded now on this thread.</summary>
    public ImageRead Read(int start, int count)
    {
        var images = Check(start, count);
        Task<ImageRead>? read;
        TaskCompletionSource<ImageRead>? here = null;
        lock (kept)
        {
            read = Find(images);
            if (read is null)
            {
                here = new TaskCompletionSource<ImageRead>(TaskCreationOptions.RunContinuationsAsynchronously);
                read = here.Task;
                Keep(images, read);
            }
        }
        if (here is not null) Decode(images, here);
        try { return read.GetAwaiter().GetResult(); }
        catch
        {
            lock (kept) kept.Remove((images, read));
            throw;
        }
    }

    Range Check(int start, int count)
    {
        if (start < 0 || count < 1 || start + (long)count > catalog.Count)
            throw new ArgumentOutOfRangeException(nameof(start),
                $"{catalog.Source}: images [{start}, {start + count}) are outside its {catalog.Count} images; has the folder changed since the sweep was submitted?");
        return new Range(start, start + count);
    }

    Task<ImageRead>? Find(Range images)
    {
        for (var node = kept.First; node is not null; node = node.Next)
            if (node.Value.Images.Equals(images))
            {
                kept.Remove(node);
                kept.AddFirst(node);
                return node.Value.Read;
            }
        return null;
    }

    void Keep(Range images, Task<ImageRead> read)
    {
        kept.AddFirst((images, read));
        // Only finished reads leave: one still decoding is waited on by the work that asked for it.
        for (var node = kept.Last; node is not null && kept.Count > capacity;)
        {
            var previous = node.Previous;
            if (node.Value.Read.IsCompleted) kept.Remove(node);
            node = previous;
        }
    }

    void Decode(Range images, TaskCompletionSource<ImageRead> read)
    {
        try { read.SetResult(catalog.Read(images.Start.Value, images.End.Value - images.Start.Value, policy)); }
        catch (Exception error) { read.SetException(error); }
    }

    void DecodeAhead()
    {
        foreach (var (images, read) in pending.GetConsumingEnumerable()) Decode(images, read);
    }

    public void Dispose()
    {
        // The collection itself is left to the collector: work still running may ask it whether adding is over.
        pending.CompleteAdding();
        decoder.Join();
    }
}
