namespace Saliency.Attribution.Metrics;

/// <summary>
/// Deletion or insertion (<see cref="CausalMetric"/>) as a sweep metric: one curve per substrate the settings list, the
/// first under the plain column, each other under a column named for its substrate (<c>deletion_auc_black</c>). Every
/// curve is kept beside its area, for the results to show.
/// </summary>
public abstract class CausalCurveMetric : MetricDescriptor
{
    private protected CausalCurveMetric() { }

    /// <summary>Whether it deletes (pixels fade from the image to the substrate) rather than inserts.</summary>
    public abstract bool Deletes { get; }

    /// <summary>The column of the first substrate's area.</summary>
    public abstract string Column { get; }

    /// <summary>The paper both follow.</summary>
    private protected const string Rise = "Petsiuk, Das and Saenko 2018, \"RISE: Randomized input sampling for explanation of black-box models\"";

    /// <summary>What deletion and insertion share: the pixel order, the steps, the score and the area.</summary>
    private protected static string Curve(string direction, string column) =>
        "Pixels are ordered by the map summed over channels, most salient first, and copied, every channel, " + direction +
        " one step at a time: one image row of pixels by default, a count or a fraction of the pixels with `metric_step`. " +
        $"The curve is the target's softmax probability at each step, and `{column}` its area by the trapezoid rule over [0, 1]; " +
        "with `metric_tolerance`, only as many one-row steps are scored as bound the area's error against every row's curve by that tolerance, " +
        "most of them by the model's bfloat16 copy where that runs faster and the rest by the model, to correct them (`metric_proxy`). " +
        $"The substrate is `{Substrate.Blur.Name}` unless `substrate:` names others; each further one writes a column of its own " +
        $"(`{column}_black`).";

    public IReadOnlyList<Substrate> Substrates(JudgingSettings settings) => Deletes ? settings.DeletionSubstrates : settings.InsertionSubstrates;

    /// <summary>
    /// The column of the curve under <paramref name="substrate"/> when it is not the first: <c>deletion_auc_black</c>,
    /// <c>insertion_auc_blur5</c> for <c>blur:5</c>, <c>deletion_auc_blur2k7</c> for <c>blur:2:7</c> (apart from <c>blur:27</c>).
    /// </summary>
    public string ColumnOf(Substrate substrate) => $"{Column}_{substrate.Name.Split(':') switch
    {
        [var kind, var sigma, var size] => $"{kind}{sigma}k{size}",
        var parts => string.Concat(parts),
    }}";

    public override IReadOnlyList<MetricColumn> Columns(JudgingSettings settings)
    {
        var substrates = Substrates(settings);
        return [Ranked(Column), .. substrates.Skip(1).Select(s => Ranked(ColumnOf(s)))];
    }

    public override MetricColumn? ColumnNamed(string column) =>
        column == Column || column.StartsWith(Column + "_", StringComparison.Ordinal) ? Ranked(column) : null;

    MetricColumn Ranked(string column) => new(column, !Deletes, MetricKind.Faithfulness);

    public override int Passes(JudgingSettings settings) => Substrates(settings).Count;

    public override void Measure(ImageJudging judging)
    {
        var settings = judging.Settings;
        var substrates = Substrates(settings);
        for (var s = 0; s < substrates.Count; s++)
        {
            var metric = Deletes
                ? CausalMetric.Deletion(substrates[s], settings.MetricStep, settings.Batch)
                : CausalMetric.Insertion(substrates[s], settings.MetricStep, settings.Batch);
            var column = s == 0 ? Column : ColumnOf(substrates[s]);
            var substrate = substrates[s];
            var ends = judging.Shared($"curve ends on {substrate.Name}", () => CausalMetric.Ends(judging.Model, judging.Images, judging.Maps, substrate, settings.Batch));
            IReadOnlyList<CurveScore> scores;
            var proxy = metric.TakesProxy(judging.Images.Shape) ? judging.CurveProxy() : null;
            try { scores = metric.Score(judging.Model, judging.Images, judging.Maps, judging.Scored, ends, proxy); }
            catch (InvalidDataException e) { throw new InvalidOperationException(e.Message, e); }
            for (var i = 0; i < scores.Count; i++)
            {
                judging.Record(i, column, scores[i].Auc);
                judging.Record(i, column, new MetricCurve(scores[i].Fractions, scores[i].Curve));
            }
        }
    }
}

/// <summary>Deletion: the target's probability as the most salient pixels fade to the substrate first; lower is better.</summary>
public sealed class DeletionMetric : CausalCurveMetric
{
    public const string MetricName = "deletion", AucColumn = "deletion_auc";

    public static DeletionMetric Descriptor { get; } = new();

    DeletionMetric() { }

    public override string Name => MetricName;
    public override string Summary => "Area under the target's probability as the most salient pixels fade to the substrate first (lower is better).";
    public override string Definition { get; } = Curve("from the substrate into the image", AucColumn);
    public override string Reference => Rise;
    public override bool Deletes => true;
    public override string Column => AucColumn;
}

/// <summary>Insertion: the target's probability as the most salient pixels return first; higher is better.</summary>
public sealed class InsertionMetric : CausalCurveMetric
{
    public const string MetricName = "insertion", AucColumn = "insertion_auc";
    /// <summary>Insertion AUC minus deletion AUC, on the images where both were measured: higher is better.</summary>
    public const string MinusDeletionColumn = "insertion_minus_deletion";
    public const string MinusDeletionObjective = "insertion-deletion";

    public static InsertionMetric Descriptor { get; } = new();

    InsertionMetric() { }

    public override string Name => MetricName;
    public override string Summary => "Area under the target's probability as the most salient pixels return to the substrate first (higher is better).";
    public override string Definition { get; } = Curve("from the image into the substrate", AucColumn) +
        $" With deletion measured too, `{MinusDeletionColumn}` is `{AucColumn}` − `{DeletionMetric.AucColumn}`, image by image.";
    public override string Reference => Rise;
    public override bool Deletes => false;
    public override string Column => AucColumn;

    static readonly MetricColumn MinusDeletion = new(MinusDeletionColumn, true, MetricKind.Faithfulness,
        image => image.Metric(AucColumn) is { } insertion && image.Metric(DeletionMetric.AucColumn) is { } deletion ? insertion - deletion : null);

    /// <summary>Its own columns, and insertion − deletion when deletion is measured too.</summary>
    public override IReadOnlyList<MetricColumn> Columns(JudgingSettings settings) =>
        settings.Measures(DeletionMetric.MetricName) ? [.. base.Columns(settings), MinusDeletion] : base.Columns(settings);

    public override MetricColumn? ColumnNamed(string column) => column == MinusDeletionColumn ? MinusDeletion : base.ColumnNamed(column);

    public override IReadOnlyList<ObjectiveDefinition> Objectives =>
    [
        new(MinusDeletionObjective, MinusDeletionColumn, true, [DeletionMetric.MetricName, MetricName]),
        new(MetricName, AucColumn, true, [MetricName]),
    ];
}
