using System.Collections.Concurrent;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;
using Microsoft.Extensions.Options;
using Saliency.Grains.Hosting;
using Saliency.Grains.Telemetry;

namespace Saliency.Grains.Workers;

/// <summary>
/// A sweep as a worker silo holds it: the parsed spec, the list of its images (decoded a shard at a time, never
/// all at once), the model's runner and which images keep their maps.
/// </summary>
public sealed record LoadedSweep(SweepSpec Spec, ShardReader Shards, TrialRunner Runner, IReadOnlySet<int> KeysWithMaps) : IDisposable
{
    /// <param name="progress">Called with the images' worth of work done so far (<see cref="TrialRunner.Run"/>).</param>
    /// <returns>The outcome of the item's images, or of its first ones when the spec's <c>item_seconds</c> ran out.</returns>
    public ShardOutcome Run(WorkItem item, Action<double>? progress = null)
    {
        if (item.Trial < 0 || item.Trial >= Spec.Trials.Count)
            throw new ArgumentOutOfRangeException(nameof(item), $"trial {item.Trial} is not in sweep '{Spec.Name}', which has {Spec.Trials.Count}");
        using var read = Shards.Read(item.Start, item.Count);
        var keys = Shards.Catalog.Keys.Skip(item.Start).Take(item.Count).ToArray();
        var budget = Spec.ItemSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        return TimeBudgetedRun.Run(Runner, Spec.Trials[item.Trial], item.Shard, item.Start, keys, new ImageRead(read.Images, read.Skipped),
            KeysWithMaps, budget, progress, item.Part);
    }

    /// <summary>Starts decoding a work item's images while earlier ones compute.</summary>
    public void Prefetch(WorkItem item) => Shards.Prefetch(item.Start, item.Count);

    public void Dispose() => Shards.Dispose();
}

/// <summary>
/// What a worker silo loads once and reuses: each model once per silo, on the silo's device, and each sweep's list of
/// images with a few of its shards decoded.
/// Only touched from compute threads. A load that fails is not cached, so a transient error does
/// not fail the sweep's later work items.
/// </summary>
public sealed class SweepResources(IOptions<SaliencySiloOptions> options, ComputeQueue compute) : IDisposable
{
    readonly AllowedRoots allowedRoots = new(options.Value.AllowedRoots);
    readonly ComputeDevice device = ComputeDevice.Resolve(options.Value.Device);
    const int SweepsKept = 4;
    readonly ConcurrentDictionary<string, ImageClassifier> models = new();
    readonly ConcurrentDictionary<string, LoadedSweep> sweeps = new();
    readonly ConcurrentQueue<string> sweepOrder = new();
    readonly object loading = new();

    public LoadedSweep Get(SweepJob job)
    {
        if (sweeps.TryGetValue(job.SweepId, out var sweep)) return sweep;
        lock (loading)
        {
            if (sweeps.TryGetValue(job.SweepId, out sweep)) return sweep;
            sweep = Load(job);
            sweeps[job.SweepId] = sweep;
            sweepOrder.Enqueue(job.SweepId);
            while (sweepOrder.Count > SweepsKept && sweepOrder.TryDequeue(out var old))
                if (sweeps.TryRemove(old, out var dropped)) dropped.Dispose();
            return sweep;
        }
    }

    /// <summary>Starts decoding the images of work items just accepted, for a sweep this silo already holds.</summary>
    public void Prefetch(SweepJob job, IEnumerable<WorkItem> items)
    {
        if (!sweeps.TryGetValue(job.SweepId, out var sweep)) return;
        foreach (var item in items) sweep.Prefetch(item);
    }

    LoadedSweep Load(SweepJob job)
    {
        var spec = SweepSpec.Parse(job.SpecText, job.SpecFile);
        allowedRoots.Require(spec);
        StepLimit.Require(spec, options.Value.MaxSteps);
        var model = models.GetOrAdd(System.Text.Json.JsonSerializer.Serialize(spec.Model), _ => LoadModel(spec));
        var images = spec.OpenImages(model.Spec.Input, model.Spec.Preprocess);
        model.RequireInput(images.Shape, images.Source);
        spec.Target.RequireWithin(model.Classes!.Value);
        var references = new Lazy<ImageCatalog>(() => spec.OpenReferences(model.Spec.Input, model.Spec.Preprocess));
        var runner = new TrialRunner(spec, model, () => references.Value, options.Value.BatchMemoryBytes);
        // Every work item in flight here, and one more, stay decoded: the coordinator keeps two per slot in flight.
        var shards = new ShardReader(images, spec.OnBadImage, capacity: 2 * compute.Slots + 1);
        return new LoadedSweep(spec, shards, runner, spec.KeysWithMaps(images.Keys));
    }

    /// <summary>What this silo computes on (<c>cpu</c>, <c>cuda:0</c>), for spans.</summary>
    public string Device => device.ToString();

    ImageClassifier LoadModel(SweepSpec spec)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = spec.Model.Load(device);
        SweepTelemetry.ModelLoad.Record(clock.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("saliency.model", spec.Model.Reference));
        return model;
    }

    public void Dispose()
    {
        // The container disposes this before the compute queue it was given; a model disposed under a
        // running pass would have libtorch write into freed memory.
        compute.Dispose();
        foreach (var sweep in sweeps.Values) sweep.Dispose();
        sweeps.Clear();
        foreach (var model in models.Values) model.Dispose();
        models.Clear();
    }
}
