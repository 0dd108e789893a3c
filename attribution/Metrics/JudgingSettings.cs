using Saliency.Attribution.Methods;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// The settings every metric reads, whether a sweep's spec or <c>attribute</c>'s options gave them.
/// </summary>
/// <param name="Metrics">The metrics measured, by name (<see cref="MetricDescriptor.Name"/>).</param>
/// <param name="DeletionSubstrates">What deletion fades to, one curve each: the first gives <c>deletion_auc</c>.</param>
/// <param name="MetricStep">Pixels, or the fraction of them, deletion and insertion move per step; one image row when null.</param>
/// <param name="Batch">Images per forward pass of the metrics that score many perturbed images.</param>
public sealed record JudgingSettings(
    IReadOnlyList<string> Metrics,
    IReadOnlyList<Substrate> DeletionSubstrates,
    IReadOnlyList<Substrate> InsertionSubstrates,
    MetricStep? MetricStep = null,
    int Batch = CausalMetric.DefaultBatchSize,
    long Seed = 0,
    ScoreKind Score = ScoreKind.Logit)
{
    /// <summary>No metric; blur for both curves, one row per step, as a spec that says nothing.</summary>
    public static JudgingSettings Default { get; } = new([], [Substrate.Blur], [Substrate.Blur]);

    public bool Measures(string metric) => Metrics.Contains(metric);
}
