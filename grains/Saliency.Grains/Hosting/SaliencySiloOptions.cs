using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;
using Saliency.Cluster.Hosting;

namespace Saliency.Grains.Hosting;

/// <summary>How one silo takes part in a Saliency cluster. Bound from the <c>Saliency</c> configuration section.</summary>
public sealed class SaliencySiloOptions
{
    public const string Section = "Saliency";

    public SiloRole Role { get; set; } = SiloRole.All;

    /// <summary>Where sweeps' run directories are written, on a silo that hosts coordinators.</summary>
    public string ArtifactRoot { get; set; } = "runs";

    /// <summary>Where grain state is kept with file storage; defaults to <c>ARTIFACT_ROOT/.grains</c>.</summary>
    public string? StateRoot { get; set; }

    /// <summary>Work items a worker silo computes at once (one compute thread each).</summary>
    public int WorkerSlots { get; set; } = 1;

    /// <summary>libtorch intra-op threads on a worker silo; all cores when null.</summary>
    public int? TorchThreads { get; set; }

    /// <summary>
    /// Where a worker runs its models: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c>. Resolved when the silo is
    /// built, which fails if CUDA is asked for and missing; from then on it holds the device in use (<c>cpu</c>, <c>cuda:0</c>).
    /// </summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Dispatches of one work item before its trial records the failure.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Workers that may leave the cluster while holding one sweep's work items before that sweep fails: a model that
    /// crashes its workers (a TorchScript that aborts, an allocation that kills the process) would otherwise be sent to
    /// every worker of the cluster in turn.
    /// </summary>
    public int MaxWorkerDeaths { get; set; } = 3;

    /// <summary>
    /// How long a silo asked to stop may take before it leaves without finishing (<see cref="BoundedStop"/>): service
    /// managers allow 30 s, and a silo that lingers keeps its ports from the one started after it.
    /// </summary>
    public int StopSeconds { get; set; } = 25;

    /// <summary>A work item in flight longer than this is taken as lost and dispatched again.</summary>
    public TimeSpan WorkItemTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Where grain state is kept: <c>file</c> (under <see cref="StateDirectory"/>) or <c>redis</c>.</summary>
    public string GrainStorage { get; set; } = "file";

    /// <summary>The Redis server of <c>redis</c> grain storage, as HOST:PORT or a StackExchange.Redis configuration string.</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Folders that specs' data folders and model files must lie in; any path when empty.</summary>
    public List<string> AllowedRoots { get; set; } = new();

    /// <summary>
    /// The most steps per image a trial may take (IG steps, I-GOS iterations × integration steps, SmoothGrad
    /// samples); a sweep with a trial above it is refused on submission. See <see cref="StepLimit"/>.
    /// </summary>
    public int MaxSteps { get; set; } = StepLimit.Default;

    /// <summary>
    /// Native memory, in MiB, that one pass of a model may take on this worker when a sweep says <c>batch: auto</c>;
    /// each slot takes its own. See <see cref="ActivationMemory"/>.
    /// </summary>
    public int BatchMemoryMiB { get; set; } = DefaultBatchMemoryMiB;

    public const int DefaultBatchMemoryMiB = (int)(TrialRunner.DefaultBatchMemoryBytes >> 20);

    public long BatchMemoryBytes => (long)BatchMemoryMiB << 20;

    /// <summary>The port the live web view of the cluster's sweeps is served on, by a silo that hosts coordinators; none when null.</summary>
    public int? WebPort { get; set; }

    /// <summary>How large a sweep this silo takes (<c>Saliency:Limits:MaxTrials</c> and the rest, docs/cluster.md).</summary>
    public SweepLimits Limits { get; set; } = new();

    /// <summary>
    /// Whether specs may name TorchScript models. A TorchScript file is a program: it runs whatever operations it holds,
    /// with this silo's rights. A silo shared with people it does not trust sets this false and takes weights only.
    /// </summary>
    public bool TrustTorchScript { get; set; } = true;

    /// <summary>
    /// Lets a silo bound to an address off loopback run without TLS, where the network itself is trusted. Without it such a
    /// silo refuses to start: any machine that reaches its gateway could otherwise join as a client.
    /// </summary>
    public bool Insecure { get; set; }

    /// <summary>
    /// A silo inside the process that submits its sweeps (<c>run</c>, <c>demo</c>, the benchmarks): without
    /// <see cref="AllowedRoots"/> it reads any path its user can. A cluster silo without them reads only below
    /// <see cref="DefaultRoots"/>.
    /// </summary>
    public bool Embedded { get; set; }

    /// <summary>
    /// What a cluster silo given no allowed roots reads: its working directory, the Fashion-MNIST folder and the built-in
    /// models' folder. <c>--allow /</c> lifts the confinement.
    /// </summary>
    public static IReadOnlyList<string> DefaultRoots =>
        [Directory.GetCurrentDirectory(), FashionMnist.Root, Path.GetDirectoryName(ModelLoader.BuiltInWeightsPath)!];

    /// <summary>The folders specs may read from on this silo; empty for an embedded silo given none, which reads anywhere.</summary>
    public IReadOnlyList<string> ReadableRoots => AllowedRoots.Count > 0 ? AllowedRoots : Embedded ? [] : DefaultRoots;

    /// <summary>TLS for all cluster traffic (<c>Saliency:Tls</c>); off until a certificate is named.</summary>
    public ClusterTls Tls { get; set; } = new();

    public string StateDirectory => StateRoot ?? Path.Combine(ArtifactRoot, ".grains");

    /// <summary>
    /// What is wrong with these options, naming each configuration key: the one set of rules, checked when a silo is
    /// built (<see cref="SaliencyHosting.BuildSilo"/>) and when one made with <c>AddSaliency</c> alone starts.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void AtLeast(string key, double value, double least, string unit = "") =>
            problems.AddRange(value >= least ? [] : [$"{Section}:{key} must be at least {least}{unit}, got {value}"]);
        AtLeast(nameof(WorkerSlots), WorkerSlots, 1);
        if (TorchThreads is { } threads) AtLeast(nameof(TorchThreads), threads, 1);
        AtLeast(nameof(MaxAttempts), MaxAttempts, 1);
        AtLeast(nameof(MaxWorkerDeaths), MaxWorkerDeaths, 1);
        AtLeast(nameof(StopSeconds), StopSeconds, 1);
        AtLeast(nameof(MaxSteps), MaxSteps, 1);
        AtLeast(nameof(BatchMemoryMiB), BatchMemoryMiB, 1, " MiB");
        if (WorkItemTimeout <= TimeSpan.Zero) problems.Add($"{Section}:{nameof(WorkItemTimeout)} must be above 0, got {WorkItemTimeout}");
        if (GrainStorage is not ("file" or "redis")) problems.Add($"{Section}:{nameof(GrainStorage)} must be file or redis, got '{GrainStorage}'");
        return problems;
    }

    /// <exception cref="ArgumentException">Any of <see cref="Problems"/>, all named.</exception>
    public void Validate()
    {
        if (Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join("; ", problems));
    }

    /// <summary>
    /// <see cref="Device"/> resolved where this silo runs models; a coordinator-only silo never does, so there it is
    /// only checked for spelling and CUDA is not loaded into it.
    /// </summary>
    /// <exception cref="ComputeDeviceUnavailableException">A worker silo is asked for CUDA that this build or machine lacks.</exception>
    public string ResolveDevice() => Role.HostsWorkers() ? ComputeDevice.Resolve(Device).ToString() : ComputeDevice.Parse(Device).ToString();
}
