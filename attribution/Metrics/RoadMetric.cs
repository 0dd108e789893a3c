using System.Globalization;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// ROAD (<see cref="Road"/>) as a sweep metric: the mean probability with the most relevant pixels imputed (MoRF, lower
/// is better) and with the least relevant imputed (LeRF, higher is better), each curve kept beside its mean.
/// </summary>
public sealed class RoadMetric : MetricDescriptor
{
    public const string MetricName = "road", MorfColumn = "road_morf", LerfColumn = "road_lerf";

    public static RoadMetric Descriptor { get; } = new();

    RoadMetric() { }

    public override string Name => MetricName;
    public override string Summary => "Mean probability as the most (MoRF, lower is better) or least (LeRF, higher is better) relevant pixels are imputed from their neighbours.";
    public override string Definition => string.Create(CultureInfo.InvariantCulture,
        $"At each removal fraction p of {string.Join(", ", Road.DefaultFractions.Select(p => p.ToString(CultureInfo.InvariantCulture)))}, the ⌊p·H·W⌋ pixels the map, summed over channels, " +
        $"ranks most (MoRF) or least (LeRF) relevant are removed and filled by noisy linear imputation: each takes the weighted " +
        $"mean of its eight neighbours inside the image (1/6 beside, 1/12 diagonal), kept or removed, " +
        $"plus N(0, {Road.DefaultNoise}²) noise drawn per image from the sweep's seed, in pixel space. `{MorfColumn}` and `{LerfColumn}` " +
        $"are the means over p of the target's softmax probability.");
    public override string Reference => "Rong et al. 2022, \"A consistent and efficient evaluation strategy for attribution methods\"";

    public override IReadOnlyList<MetricColumn> Columns(JudgingSettings settings) =>
        [new(MorfColumn, false, MetricKind.Faithfulness), new(LerfColumn, true, MetricKind.Faithfulness)];

    public override int Passes(JudgingSettings settings) => 1;

    public override void Measure(ImageJudging judging)
    {
        var road = new Road(seed: judging.Settings.Seed);
        var scores = road.Score(judging.Model, judging.Images, judging.Maps, judging.Scored);
        for (var i = 0; i < scores.Count; i++)
        {
            judging.Record(i, MorfColumn, scores[i].Morf);
            judging.Record(i, LerfColumn, scores[i].Lerf);
            judging.Record(i, MorfColumn, new MetricCurve(road.Fractions, scores[i].MorfCurve));
            judging.Record(i, LerfColumn, new MetricCurve(road.Fractions, scores[i].LerfCurve));
        }
    }
}
