using System.Collections.Concurrent;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;
using Microsoft.Extensions.Options;
using Saliency.Grains.Hosting;
using Saliency.Grains.Telemetry;

namespace Saliency.Grains.Workers;

/// <summary>A sweep as a worker silo holds it: the parsed spec, the model, the images and a runner.</summary>
public sealed record LoadedSweep(SweepSpec Spec, ImageSet Images, TrialRunner Runner, IReadOnlySet<int> KeysWithMaps)
{
    public ShardOutcome Run(WorkItem item)
    {
        if (item.Trial < 0 || item.Trial >= Spec.Trials.Count)
            throw new ArgumentOutOfRangeException(nameof(item), $"trial {item.Trial} is not in sweep '{Spec.Name}', which has {Spec.Trials.Count}");
        return Runner.Run(Spec.Trials[item.Trial], item.Shard, Spec.ShardOf(Images, item.Shard), KeysWithMaps);
    }
}

/// <summary>
/// What a worker silo loads once and reuses: each model once per silo, on the silo's device, each sweep's images once.
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
            while (sweepOrder.Count > SweepsKept && sweepOrder.TryDequeue(out var old)) sweeps.TryRemove(old, out _);
            return sweep;
        }
    }

    LoadedSweep Load(SweepJob job)
    {
        var spec = SweepSpec.Parse(job.SpecText, job.SpecFile);
        allowedRoots.Require(spec);
        StepLimit.Require(spec, options.Value.MaxSteps);
        var model = models.GetOrAdd(System.Text.Json.JsonSerializer.Serialize(spec.Model), _ => LoadModel(spec));
        var selection = spec.Selection;
        var images = selection.Load(model.Spec.Input);
        model.RequireInput(images.Shape, images.Source);
        var references = new Lazy<ImageSet>(() => selection.Kind == "fashion-mnist" ? FashionMnist.Load("train") : images);
        var runner = new TrialRunner(spec, model, () => references.Value, options.Value.BatchMemoryBytes);
        return new LoadedSweep(spec, images, runner, spec.KeysWithMaps(images.Keys));
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
        foreach (var model in models.Values) model.Dispose();
        models.Clear();
    }
}
