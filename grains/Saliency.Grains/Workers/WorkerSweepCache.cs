using Microsoft.Extensions.Options;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;
using Saliency.Grains.Telemetry;
using ParsedSpecs = Saliency.Attribution.Sweeps.Engine.ParsedSpecs;

namespace Saliency.Grains.Workers;

/// <summary>
/// A sweep as a worker silo holds it: the parsed spec, the list of its images (decoded a shard at a time, never
/// all at once), the model's runner and which images keep their maps.
/// </summary>
internal sealed record LoadedSweep(SweepSpec Spec, ShardReader Shards, TrialRunner Runner, IReadOnlySet<int> KeysWithMaps) : IDisposable
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

/// <summary>A sweep held for one work item: the sweep stays loaded, and its model alive, until the lease is disposed.</summary>
internal sealed class SweepLease : IDisposable
{
    readonly Action release;
    int released;

    internal SweepLease(LoadedSweep sweep, Action release) => (Sweep, this.release) = (sweep, release);

    public LoadedSweep Sweep { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) release();
    }
}

/// <summary>
/// What a worker silo loads once and reuses: each model once per silo, on the silo's device, and each sweep's list of
/// images with a few of its shards decoded. The last <see cref="SweepsKept"/> sweeps stay loaded; an older one is let go
/// once no work item holds it (<see cref="Acquire"/>), and a model once no sweep kept here uses it, so a silo that
/// serves sweep after sweep holds a bounded number of models.
/// Only touched from compute threads. A load that fails is not cached, so a transient error does
/// not fail the sweep's later work items.
/// </summary>
internal sealed class WorkerSweepCache(IOptions<SaliencySiloOptions> options, ComputeQueue compute) : IDisposable
{
    public const int SweepsKept = 4;

    sealed class Held(LoadedSweep sweep, string modelKey)
    {
        public LoadedSweep Sweep { get; } = sweep;
        public string ModelKey { get; } = modelKey;
        public int Users;
        public bool Retired;
    }

    sealed class SharedModel(ImageClassifier model)
    {
        public ImageClassifier Model { get; } = model;
        public int Sweeps;
    }

    readonly SpecPolicy policy = new(options.Value);
    readonly ComputeDevice device = ComputeDevice.Resolve(options.Value.Device);
    readonly Dictionary<string, SharedModel> models = new();
    readonly Dictionary<string, Held> sweeps = new();
    readonly LinkedList<string> sweepOrder = new();
    readonly object gate = new();
    readonly object loading = new();

    /// <summary>Models loaded now: at most one per sweep kept, plus those of retired sweeps still computing.</summary>
    public int ModelsLoaded
    {
        get { lock (gate) return models.Count; }
    }

    /// <summary>The sweep, loaded if it is not held yet, for one work item; dispose the lease when the item is done.</summary>
    public SweepLease Acquire(SweepJob job)
    {
        lock (gate)
            if (sweeps.TryGetValue(job.SweepId, out var held)) return Lease(held);
        lock (loading)
        {
            lock (gate)
                if (sweeps.TryGetValue(job.SweepId, out var held)) return Lease(held);
            var (sweep, modelKey) = Load(job);
            lock (gate)
            {
                var entry = new Held(sweep, modelKey);
                sweeps[job.SweepId] = entry;
                sweepOrder.AddLast(job.SweepId);
                var lease = Lease(entry);
                while (sweepOrder.Count > SweepsKept)
                {
                    var oldest = sweepOrder.First!.Value;
                    sweepOrder.RemoveFirst();
                    var dropped = sweeps[oldest];
                    sweeps.Remove(oldest);
                    dropped.Retired = true;
                    if (dropped.Users == 0) LetGo(dropped);
                }
                return lease;
            }
        }
    }

    /// <summary>Starts decoding the images of work items just accepted, for a sweep this silo already holds.</summary>
    public void Prefetch(SweepJob job, IEnumerable<WorkItem> items)
    {
        Held? held;
        lock (gate)
            if (!sweeps.TryGetValue(job.SweepId, out held)) return;
        foreach (var item in items) held.Sweep.Prefetch(item);
    }

    SweepLease Lease(Held held)
    {
        held.Users++;
        return new SweepLease(held.Sweep, () =>
        {
            lock (gate)
                if (--held.Users == 0 && held.Retired) LetGo(held);
        });
    }

    /// <summary>Disposes a retired sweep no work item holds, and its model where no other sweep here uses it. Under <see cref="gate"/>.</summary>
    void LetGo(Held held)
    {
        held.Sweep.Dispose();
        if (models.TryGetValue(held.ModelKey, out var shared) && --shared.Sweeps == 0)
        {
            models.Remove(held.ModelKey);
            shared.Model.Dispose();
        }
    }

    (LoadedSweep Sweep, string ModelKey) Load(SweepJob job)
    {
        var spec = ParsedSpecs.Parse(job.SpecText, job.SpecFile);
        policy.Require(spec);
        var modelKey = System.Text.Json.JsonSerializer.Serialize(spec.Model);
        SharedModel? shared;
        // Counted at once, so a retired sweep that lets go of the same model meanwhile leaves it alive.
        lock (gate)
            if (models.TryGetValue(modelKey, out shared)) shared.Sweeps++;
        ImageClassifier? loaded = null;
        try
        {
            if (shared is null) loaded = LoadModel(spec);
            var model = shared?.Model ?? loaded!;
            var images = spec.OpenImages(model.Spec.Input, model.Spec.Preprocess, policy.Roots);
            model.RequireInput(images.Shape, images.Source);
            spec.Target.RequireWithin(model.Classes!.Value);
            var references = new Lazy<ImageCatalog>(() => spec.OpenReferences(model.Spec.Input, model.Spec.Preprocess, policy.Roots));
            var runner = new TrialRunner(spec, model, () => references.Value, options.Value.BatchMemoryBytes);
            // Every work item in flight here, and one more, stay decoded: the coordinator keeps two per slot in flight.
            var shards = new ShardReader(images, spec.OnBadImage, capacity: 2 * compute.Slots + 1);
            if (loaded is not null)
                lock (gate) models[modelKey] = new SharedModel(loaded) { Sweeps = 1 };
            return (new LoadedSweep(spec, shards, runner, spec.KeysWithMaps(images.Keys)), modelKey);
        }
        catch
        {
            loaded?.Dispose();
            if (shared is not null)
                lock (gate)
                    if (--shared.Sweeps == 0 && models.Remove(modelKey)) shared.Model.Dispose();
            throw;
        }
    }

    /// <summary>What this silo computes on (<c>cpu</c>, <c>cuda:0</c>), for spans.</summary>
    public string Device => device.ToString();

    ImageClassifier LoadModel(SweepSpec spec)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The model file is opened by the real path judged, not by the string the spec gives.
        var reference = ModelLoader.IsBuiltIn(spec.Model.Reference) ? spec.Model : spec.Model with { Reference = policy.Roots.Admit(spec.Model.Reference, "model file") };
        var model = reference.Load(device, options.Value.TrustTorchScript);
        SweepTelemetry.ModelLoad.Record(clock.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("saliency.model", spec.Model.Reference));
        return model;
    }

    public void Dispose()
    {
        // The container disposes this before the compute queue it was given; a model disposed under a
        // running pass would have libtorch write into freed memory.
        compute.Dispose();
        lock (gate)
        {
            foreach (var held in sweeps.Values) held.Sweep.Dispose();
            sweeps.Clear();
            sweepOrder.Clear();
            foreach (var shared in models.Values) shared.Model.Dispose();
            models.Clear();
        }
    }
}
