namespace Saliency.Attribution.Sweeps;

/// <summary>
/// How a sweep spends its images on its trials. <c>grid</c>: every trial on every image. <c>halving</c>: successive
/// halving over images (Jamieson and Talwalkar 2016; asynchronous as ASHA, Li et al. 2020): every trial starts on a
/// first rung of <see cref="MinImages"/> images, and a trial whose rung is complete either goes on to a rung
/// <see cref="Reduction"/> times larger, up to the whole selection, or stops because its paired interval against the
/// best trial of that rung excludes zero (<see cref="RungDecision"/>).
/// <code>
/// schedule: halving
/// schedule: { kind: halving, min_images: 64, reduction: 3, alpha: 0.05 }
/// </code>
/// </summary>
public sealed record SweepSchedule
{
    public const string GridKind = "grid", HalvingKind = "halving";

    public static IReadOnlyList<string> Kinds { get; } = [GridKind, HalvingKind];

    public static SweepSchedule Grid { get; } = new();

    public static SweepSchedule Halving { get; } = new() { Kind = HalvingKind };

    public string Kind { get; init; } = GridKind;

    /// <summary>Images of the first rung, rounded up to whole shards; each rung after has <see cref="Reduction"/> times the one before.</summary>
    public int MinImages { get; init; } = 64;

    /// <summary>How many times more images each rung has than the one before.</summary>
    public int Reduction { get; init; } = 3;

    /// <summary>
    /// The chance, over the whole sweep, of stopping a trial that is in truth as good as the best: each comparison is
    /// made at 1 − α / (other trials × deciding rungs), Bonferroni's correction over every comparison the sweep can make.
    /// </summary>
    public double Alpha { get; init; } = 0.05;

    public bool IsHalving => Kind == HalvingKind;

    /// <summary>
    /// The rungs over a selection of <paramref name="imageCount"/> images cut into shards of <paramref name="shardSize"/>:
    /// each ends at a shard boundary, the last is the whole selection, and a grid has that one alone. A trial is judged
    /// at the end of every rung but the last.
    /// </summary>
    public IReadOnlyList<Rung> Rungs(int imageCount, int shardSize)
    {
        var shards = (imageCount + shardSize - 1) / shardSize;
        var rungs = new List<Rung>();
        if (IsHalving)
        {
            var end = Ceiling(MinImages, shardSize);
            while (end < shards)
            {
                rungs.Add(new Rung(rungs.Count, end, Math.Min(end * shardSize, imageCount)));
                end = Math.Max(end + 1, Ceiling((long)end * shardSize * Reduction, shardSize));
            }
        }
        rungs.Add(new Rung(rungs.Count, shards, imageCount));
        return rungs;
    }

    static int Ceiling(long images, int shardSize) => (int)Math.Min(int.MaxValue, (images + shardSize - 1) / shardSize);

    /// <summary>The confidence of each interval that decides a stop, in a sweep of <paramref name="trials"/> trials.</summary>
    public double Confidence(int trials, int decidingRungs) =>
        1 - Alpha / Math.Max(1, (trials - 1) * Math.Max(1, decidingRungs));

    /// <summary>The schedule as a spec writes it.</summary>
    public override string ToString() => IsHalving
        ? $"halving (min_images {MinImages}, reduction {Reduction}, alpha {Alpha})"
        : GridKind;
}

/// <summary>One rung of a schedule: the first <paramref name="Shards"/> shards, <paramref name="Images"/> images.</summary>
public sealed record Rung(int Index, int Shards, int Images);
