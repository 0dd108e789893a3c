using Saliency.Grains.Contracts;

namespace Saliency.Cli.Benchmarks;

/// <summary>The sweep the cluster benchmarks time, and running one to its end through a cluster.</summary>
public static class BenchSweep
{
    /// <summary>IG from a black baseline with deletion, insertion and completeness, over the first test images; no maps kept.</summary>
    public static string IntegratedGradients(string name, int images, int steps, int shard) => $$"""
        name: {{name}}
        model: fashion-cnn
        data: fashion-mnist:test:0-{{images - 1}}
        methods:
          ig: { baseline: [black], steps: [{{steps}}] }
        metrics: [deletion, insertion, completeness]
        shard: {{shard}}
        maps: 0
        """;

    /// <summary>The cost-free <c>noop</c> method over <paramref name="trials"/> trials: what such a sweep costs is the machinery alone.</summary>
    public static string Noop(string name, int trials, int images, int shard) => $$"""
        name: {{name}}
        model: fashion-cnn
        data: fashion-mnist:test:0-{{images - 1}}
        methods:
          noop: { variant: [{{string.Join(", ", Enumerable.Range(1, trials))}}] }
        metrics: [completeness]
        objective: delta
        shard: {{shard}}
        maps: 0
        """;

    /// <summary>Submits the spec and polls until the sweep ends; throws unless it completed.</summary>
    public static async Task<SweepProgress> RunToEnd(IGrainFactory grains, string spec, CancellationToken cancellation = default)
    {
        var ticket = await grains.GetGrain<ISweepDirectoryGrain>(0).Submit(new SweepSubmission(spec, "bench.yaml"));
        var sweep = grains.GetGrain<ISweepCoordinatorGrain>(ticket.SweepId);
        SweepProgress progress;
        while (!(progress = await sweep.GetProgress()).Finished) await Task.Delay(50, cancellation);
        return progress.Status == SweepStatus.Completed ? progress
            : throw new InvalidOperationException($"sweep {ticket.SweepId} ended {progress.Status}: {progress.Message}");
    }
}
