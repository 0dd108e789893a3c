namespace Saliency.Attribution.Data;

/// <summary>
/// Decodes a catalogue's shards ahead of the work that needs them, on a thread of its own, and keeps the last
/// few decoded: the trials of one shard then share one decode, and the next shard decodes while the current
/// one computes. Memory stays at <c>capacity</c> shards whatever the catalogue's size, and the pixel arrays of
/// shards no longer kept or read are decoded into again rather than left to the collector: at 224 × 224 a shard
/// is tens of megabytes, and arrays that size, dropped one per work item, pile up between full collections.
/// A read that failed is not kept, so a transient error does not stick.
/// </summary>
public sealed class ShardReader : IDisposable
{
    const int SpareBuffers = 2;

    readonly ImageCatalog catalog;
    readonly BadImagePolicy policy;
    readonly int capacity;
    readonly LinkedList<Entry> kept = new();
    readonly Stack<float[]> spare = new();
    readonly System.Collections.Concurrent.BlockingCollection<(Entry Entry, TaskCompletionSource<ImageRead> Read)> pending = new();
    readonly Thread decoder;

    /// <summary>One shard's read: kept in the cache or not, and how many work items hold its images now.</summary>
    sealed class Entry(Range images, Task<ImageRead> read)
    {
        public Range Images { get; } = images;
        public Task<ImageRead> Read { get; } = read;
        public int Leases { get; set; }
        public bool Kept { get; set; } = true;
        public float[]? Buffer { get; set; }
    }

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
            var entry = Keep(images, read.Task);
            pending.Add((entry, read));
        }
    }

    /// <summary>
    /// The images [start, start + count): decoded already, waited for while they decode, or decoded now on this thread.
    /// The lease must be disposed once the work is done with the images, whose array may then be decoded into again.
    /// </summary>
    public ShardLease Read(int start, int count)
    {
        var images = Check(start, count);
        Entry entry;
        TaskCompletionSource<ImageRead>? here = null;
        lock (kept)
        {
            if (Find(images) is not { } found)
            {
                here = new TaskCompletionSource<ImageRead>(TaskCreationOptions.RunContinuationsAsynchronously);
                found = Keep(images, here.Task);
            }
            entry = found;
            entry.Leases++;
        }
        if (here is not null) Decode(entry, here);
        try { return new ShardLease(entry.Read.GetAwaiter().GetResult(), () => Release(entry)); }
        catch
        {
            lock (kept)
            {
                if (entry.Kept) kept.Remove(entry);
                entry.Kept = false;
                entry.Leases--;
            }
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

    Entry? Find(Range images)
    {
        for (var node = kept.First; node is not null; node = node.Next)
            if (node.Value.Images.Equals(images))
            {
                kept.Remove(node);
                kept.AddFirst(node);
                return node.Value;
            }
        return null;
    }

    Entry Keep(Range images, Task<ImageRead> read)
    {
        var entry = new Entry(images, read);
        kept.AddFirst(entry);
        // Only finished reads leave: one still decoding is waited on by the work that asked for it.
        for (var node = kept.Last; node is not null && kept.Count > capacity;)
        {
            var previous = node.Previous;
            if (node.Value.Read.IsCompleted)
            {
                kept.Remove(node);
                node.Value.Kept = false;
                if (node.Value.Leases == 0) Recycle(node.Value);
            }
            node = previous;
        }
        return entry;
    }

    void Release(Entry entry)
    {
        lock (kept)
        {
            entry.Leases--;
            if (!entry.Kept && entry.Leases == 0) Recycle(entry);
        }
    }

    /// <summary>Keeps the entry's array for the next decode; called under the lock, once no one reads the entry.</summary>
    void Recycle(Entry entry)
    {
        if (entry.Buffer is { } buffer && spare.Count < SpareBuffers) spare.Push(buffer);
        entry.Buffer = null;
    }

    float[]? Spare(int length)
    {
        lock (kept)
        {
            while (spare.TryPop(out var buffer))
                if (buffer.Length == length) return buffer;
            return null;
        }
    }

    void Decode(Entry entry, TaskCompletionSource<ImageRead> read)
    {
        try
        {
            var (start, count) = (entry.Images.Start.Value, entry.Images.End.Value - entry.Images.Start.Value);
            var buffer = Spare(count * catalog.Shape.Size);
            var result = catalog.Read(start, count, policy, buffer);
            lock (kept)
            {
                if (ReferenceEquals(result.Images.Pixels, buffer) || buffer is null) entry.Buffer = result.Images.Pixels;
                else if (spare.Count < SpareBuffers) spare.Push(buffer);
            }
            read.SetResult(result);
        }
        catch (Exception error) { read.SetException(error); }
    }

    void DecodeAhead()
    {
        foreach (var (entry, read) in pending.GetConsumingEnumerable()) Decode(entry, read);
    }

    public void Dispose()
    {
        // The collection itself is left to the collector: work still running may ask it whether adding is over.
        pending.CompleteAdding();
        decoder.Join();
    }
}

/// <summary>A shard's images held by one work item; disposing it lets their array be decoded into again.</summary>
public sealed class ShardLease(ImageRead read, Action release) : IDisposable
{
    int released;

    public ImageSet Images => read.Images;
    public IReadOnlyList<SkippedImage> Skipped => read.Skipped;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) release();
    }
}
