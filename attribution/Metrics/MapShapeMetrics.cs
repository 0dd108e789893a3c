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
    protected override bool HigherIsBetter => false;
    protected override double Of(ReadOnlySpan<float> map) => MapStatistics.Complexity(map);
}
