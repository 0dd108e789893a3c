namespace Saliency.Attribution.Randomness;

/// <summary>
/// Derives a seed per (run seed, image key, purpose), so a random draw for an image is the same
/// whichever batch, shard or machine computes it.
/// </summary>
public static class StableSeed
{
    public static ulong For(long seed, long key, string purpose)
    {
        var state = SplitMix((ulong)seed);
        state = SplitMix(state ^ (ulong)key);
        foreach (var c in purpose) state = SplitMix(state ^ c);
        return state;
    }

    public static Random Random(long seed, long key, string purpose) => new((int)(For(seed, key, purpose) & 0x7fffffff));

    static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
