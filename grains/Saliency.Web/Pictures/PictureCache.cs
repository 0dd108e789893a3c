namespace Saliency.Web.Pictures;

/// <summary>
/// PNG pictures kept in memory up to a byte budget, the least recently used dropped first, so a view left serving for days
/// holds no more than <see cref="BudgetBytes"/> of them. A picture being drawn by one request is drawn once: others wait for it.
/// </summary>
public sealed class PictureCache(long budgetBytes = PictureCache.DefaultBudgetBytes)
{
    public const long DefaultBudgetBytes = 64L << 20;

    readonly Lock guard = new();
    readonly Dictionary<(string Sweep, string Kind, int Index, int Trial), LinkedListNode<Entry>> entries = new();
    readonly LinkedList<Entry> order = new();
    long bytes;

    sealed record Entry((string Sweep, string Kind, int Index, int Trial) Key, Lazy<byte[]> Picture);

    public long BudgetBytes => budgetBytes;

    /// <summary>Bytes of pictures held now.</summary>
    public long Bytes
    {
        get { lock (guard) return bytes; }
    }

    public byte[] GetOrAdd((string Sweep, string Kind, int Index, int Trial) key, Func<byte[]> draw)
    {
        Lazy<byte[]> picture;
        lock (guard)
        {
            if (entries.TryGetValue(key, out var node))
            {
                order.Remove(node);
                order.AddFirst(node);
                picture = node.Value.Picture;
            }
            else
            {
                picture = new Lazy<byte[]>(draw, LazyThreadSafetyMode.ExecutionAndPublication);
                entries[key] = order.AddFirst(new Entry(key, picture));
            }
        }
        byte[] drawn;
        try { drawn = picture.Value; }
        catch
        {
            lock (guard) if (entries.TryGetValue(key, out var failed) && failed.Value.Picture == picture) { entries.Remove(key); order.Remove(failed); }
            throw;
        }
        lock (guard)
        {
            if (!counted.Add(picture)) return drawn;
            bytes += drawn.Length;
            while (bytes > budgetBytes && order.Last is { } oldest && oldest.Value.Picture != picture)
            {
                order.RemoveLast();
                entries.Remove(oldest.Value.Key);
                if (counted.Remove(oldest.Value.Picture) && oldest.Value.Picture.IsValueCreated) bytes -= oldest.Value.Picture.Value.Length;
            }
        }
        return drawn;
    }

    readonly HashSet<Lazy<byte[]>> counted = new(ReferenceEqualityComparer.Instance);
}
