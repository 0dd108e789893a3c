using System.Globalization;
using Saliency.Attribution.Methods;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// Completeness of path methods (Sundararajan, Taly and Yan 2017): the error δ = Σ map − (f(x) − f(x′)) that a method
/// integrating gradients from a baseline x′ reports. It is stored signed, as <see cref="DeltaValue"/>, and shown as
/// |δ| and |δ| / |f(x) − f(x′)|; methods that are no path have none.
/// </summary>
public sealed class CompletenessMetric : MetricDescriptor
{
    public const string MetricName = "completeness", DeltaValue = "delta", AbsDeltaColumn = "abs_delta", RelativeDeltaColumn = "relative_delta";
    /// <summary>The objective that ranks by the smallest mean |δ|: the most complete path method.</summary>
    public const string DeltaObjective = "delta";

    public static CompletenessMetric Descriptor { get; } = new();

    CompletenessMetric() { }

    public override string Name => MetricName;
    public override string Summary => "|δ|, how far a path method's map misses summing to f(x) − f(baseline), and |δ| relative to that difference (lower is better).";
    public override string Definition => string.Create(CultureInfo.InvariantCulture,
        $"δ = Σ map − (f(x) − f(x′)), f the target's score the method explains and x′ its baseline, as the path method reports it; " +
        $"`{AbsDeltaColumn}` is |δ| and `{RelativeDeltaColumn}` is |δ| / max(|f(x) − f(x′)|, {PathCompleteness.SmallestDifference:0e0}). " +
        $"Methods that integrate no path from a baseline have none.");
    public override string Reference => "Sundararajan, Taly and Yan 2017, \"Axiomatic attribution for deep networks\"";

    static readonly MetricColumn AbsDelta = new(AbsDeltaColumn, false, Derive: image => image.Metric(DeltaValue) is { } delta ? Math.Abs(delta) : null);
    // The relative delta ranks as |delta| does, so it is shown but not ranked.
    static readonly MetricColumn RelativeDelta = new(RelativeDeltaColumn, null);

    public override IReadOnlyList<MetricColumn> Columns(JudgingSettings settings) => [AbsDelta, RelativeDelta];

    public override MetricColumn? ColumnNamed(string column) => column switch
    {
        AbsDeltaColumn => AbsDelta,
        RelativeDeltaColumn => RelativeDelta,
        DeltaValue => new MetricColumn(DeltaValue, null),
        _ => null,
    };

    public override IReadOnlyList<ObjectiveDefinition> Objectives => [new(DeltaObjective, AbsDeltaColumn, false, [MetricName])];

    public override void Measure(ImageJudging judging)
    {
        for (var i = 0; i < judging.Count; i++)
            if (judging.Maps[i] is { Completeness: { } completeness } map)
            {
                judging.Record(i, DeltaValue, completeness.Delta);
                judging.Record(i, RelativeDeltaColumn, completeness.RelativeDelta(map.Score));
            }
    }
}
