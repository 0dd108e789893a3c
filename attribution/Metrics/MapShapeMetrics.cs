namespace Saliency.Attribution.Metrics;

/// <summary>A metric of a map alone, with no model pass: one value per map, in one column named as the metric.</summary>
public abstract class MapShapeMetric : MetricDescriptor
{
    private protected MapShapeMetric() { }

    /// <summary>Whether a higher value counts as better, as Quantus reads it; a map can be concentrated and wrong all the same.</summary>
    protected abstract bool HigherIsBetter { get; }

    protected abstract double Of(ReadOnlySpan<float> map);

    public string Column => Name;

    public override IReadOnlyList<MetricColumn> Columns(JudgingSettings settings) => [new(Column, HigherIsBetter)];

    public override void Measure(ImageJudging judging)
    {
        for (var i = 0; i < judging.Count; i++) judging.Record(i, Column, Of(judging.Maps[i].Map));
    }
}

/// <summary>The Gini index of |map| (<see cref="MapStatistics.Sparseness"/>); higher is better.</summary>
public sealed class SparsenessMetric : MapShapeMetric
{
    public const string MetricName = "sparseness";

    public static SparsenessMetric Descriptor { get; } = new();

    SparsenessMetric() { }

    public override string Name => MetricName;
    public override string Summary => "The Gini index of |map|: how few pixels carry the map (higher is better).";
    public override string Definition =>
        "The Gini index of the n values |a| of every element of the map (all channels), sorted ascending: " +
        "Σ_k (2k − n − 1)·a_(k) / (n·Σ a), k from 1. 0 for a map that weighs every element alike, (n − 1)/n for one on a " +
        "single element; an all-zero map scores 0.";
    public override string Reference => "Chalasani et al. 2020, \"Concise explanations of neural networks using adversarial training\"";
    protected override bool HigherIsBetter => true;
    protected override double Of(ReadOnlySpan<float> map) => MapStatistics.Sparseness(map);
}

/// <summary>The entropy of |map| (<see cref="MapStatistics.Complexity"/>); lower is better.</summary>
public sealed class ComplexityMetric : MapShapeMetric
{
    public const string MetricName = "complexity";

    public static ComplexityMetric Descriptor { get; } = new();

    ComplexityMetric() { }

    public override string Name => MetricName;
    public override string Summary => "The entropy of |map| in nats: how spread the map is (lower is better).";
    public override string Definition =>
        "The Shannon entropy in nats, −Σ p ln p, of p = |a| / Σ|a| over every element of the map (all channels). " +
        "0 for a map on a single element, ln n for one that weighs all n alike; an all-zero map counts as uniform.";
    public override string Reference => "Bhatt, Weller and Moura 2020, \"Evaluating and aggregating feature-based model explanations\"";
    protected override bool HigherIsBetter => false;
    protected override double Of(ReadOnlySpan<float> map) => MapStatistics.Complexity(map);
}
