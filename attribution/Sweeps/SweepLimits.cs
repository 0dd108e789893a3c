using System.Globalization;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// How large a sweep a cluster takes: trials, images, work items, and the sizes that set a worker's memory (a shard's
/// images, a batch, the maps kept, the model's input). Each is checked before anything is expanded or allocated, and a
/// spec above one is refused naming the field, its value, the limit and the option that raises it. The defaults sit well
/// above the shipped sweeps and well below what a worker's memory can hold.
/// </summary>
public sealed class SweepLimits
{
    public const string Section = "Saliency:Limits";

    public int MaxTrials { get; set; } = 10_000;
    public long MaxImages { get; set; } = 10_000_000;
    public long MaxWorkItems { get; set; } = 1_000_000;
    public int MaxShard { get; set; } = 4096;
    public int MaxBatch { get; set; } = 4096;
    public int MaxMaps { get; set; } = 1024;
    /// <summary>Channels × height × width of one input image: 3 × 2048 × 2048 by default.</summary>
    public long MaxInputValues { get; set; } = 3L * 2048 * 2048;

    /// <summary>Checks what the spec itself says.</summary>
    /// <exception cref="ArgumentException">A size is above its limit.</exception>
    public void Require(SweepSpec spec)
    {
        Check("trials", spec.Trials.Count, MaxTrials, nameof(MaxTrials));
        Check("shard", spec.ShardSize, MaxShard, nameof(MaxShard));
        if (spec.Batch.Size is { } batch) Check("batch", batch, MaxBatch, nameof(MaxBatch));
        Check("maps", spec.Maps, MaxMaps, nameof(MaxMaps));
        if (spec.Model.Metadata?.Input is [var channels, var height, var width])
            Check("model.input", (long)channels * height * width, MaxInputValues, nameof(MaxInputValues));
        void Check(string field, long value, long limit, string key)
        {
            if (value > limit)
                throw new ArgumentException($"{spec.File}: {field} comes to {N(value)}, above this cluster's limit of {N(limit)} ({Section}:{key})");
        }
    }

    /// <summary>Checks the sweep's size once its images are counted.</summary>
    /// <exception cref="ArgumentException">It has more images or work items than the limits allow.</exception>
    public void Require(SweepSpec spec, long images, long workItems)
    {
        if (images > MaxImages)
            throw new ArgumentException($"{spec.File}: data '{spec.Data}' selects {N(images)} images, above this cluster's limit of {N(MaxImages)} ({Section}:{nameof(MaxImages)})");
        if (workItems > MaxWorkItems)
            throw new ArgumentException($"{spec.File}: {N(spec.Trials.Count)} trials over {N(images)} images in shards of {spec.ShardSize} come to {N(workItems)} work items, " +
                $"above this cluster's limit of {N(MaxWorkItems)} ({Section}:{nameof(MaxWorkItems)}): take larger shards or fewer trials");
    }

    static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
