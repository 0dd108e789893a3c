using System.Globalization;

namespace Saliency.Attribution.Metrics;

/// <summary>A metric with one value per map from passes of the model, in one column named as the metric with '_' for '-'.</summary>
public abstract class ModelPassMetric : MetricDescriptor
{
    private protected ModelPassMetric() { }

    protected abstract bool HigherIsBetter { get; }

    /// <summary>Whether its passes report progress image by image, so the runner counts them as a pass of their own.</summary>
    protected virtual bool ReportsProgress => false;

    protected abstract IReadOnlyList<double> Score(ImageJudging judging);

    public string Column => Name.Replace('-', '_');

    public override IReadOnlyList<MetricColumn> Columns(JudgingSettings settings) => [new(Column, HigherIsBetter, MetricKind.Faithfulness)];

    public override int Passes(JudgingSettings settings) => ReportsProgress ? 1 : 0;

    public override void Measure(ImageJudging judging)
    {
        var scores = Score(judging);
        for (var i = 0; i < scores.Count; i++) judging.Record(i, Column, scores[i]);
    }
}

/// <summary>Faithfulness correlation (<see cref="FaithfulnessCorrelation"/>); higher is better.</summary>
public sealed class FaithfulnessCorrelationMetric : ModelPassMetric
{
    public const string MetricName = "faithfulness-correlation", ColumnName = "faithfulness_correlation";

    public static FaithfulnessCorrelationMetric Descriptor { get; } = new();

    FaithfulnessCorrelationMetric() { }

    public override string Name => MetricName;
    public override string Summary => "Pearson's r between the map's sums over random pixel subsets and the score drops when they are removed (higher is better).";
    public override string Definition => string.Create(CultureInfo.InvariantCulture,
        $"Over {FaithfulnessCorrelation.DefaultRuns} random subsets of max(1, min({FaithfulnessCorrelation.SubsetPixels}, ⌊H·W/4⌋)) pixel positions " +
        $"({FaithfulnessCorrelation.SubsetFor(28, 28)} at 28 × 28), every channel of each, drawn per image from the sweep's seed: Pearson's r " +
        $"between the map's sum over the subset (summed over channels) and the drop of the target's score (the sweep's `score`, " +
        $"the logit by default) when the subset is set to black, 0 in pixel space. 0 where the sums or the drops do not vary.");
    public override string Reference => "Bhatt, Weller and Moura 2020, \"Evaluating and aggregating feature-based model explanations\"";
    protected override bool HigherIsBetter => true;
    protected override bool ReportsProgress => true;

    protected override IReadOnlyList<double> Score(ImageJudging judging) =>
        new FaithfulnessCorrelation(judging.Settings.Score, judging.Settings.Seed, batchSize: judging.Settings.Batch)
            .Score(judging.Model, judging.Images, judging.Maps, judging.Scored);
}

/// <summary>Normalised infidelity (<see cref="Infidelity"/>); lower is better.</summary>
public sealed class InfidelityMetric : ModelPassMetric
{
    public const string MetricName = "infidelity";

    public static InfidelityMetric Descriptor { get; } = new();

    InfidelityMetric() { }

    public override string Name => MetricName;
    public override string Summary => "The squared error of the map's prediction of score changes under noise, normalised (lower is better).";
    public override string Definition => string.Create(CultureInfo.InvariantCulture,
        $"Captum's `infidelity` with `normalize=True`: over {Infidelity.DefaultSamples} perturbations I ~ N(0, {Infidelity.DefaultNoise}²) " +
        $"per element, in pixel units, drawn per image from the sweep's seed, the mean of (β·Σ map·I − Δf)², Δf = f(x) − f(x − I) " +
        $"the drop of the target's score (the sweep's `score`), with the map scaled first by the β that fits it best, " +
        $"β = Σ(Σ map·I)·Δf / Σ(Σ map·I)².");
    public override string Reference => "Yeh et al. 2019, \"On the (in)fidelity and sensitivity of explanations\"";
    protected override bool HigherIsBetter => false;

    protected override IReadOnlyList<double> Score(ImageJudging judging) =>
        new Infidelity(judging.Settings.Score, judging.Settings.Seed, normalise: true).Score(judging.Model, judging.Images, judging.Maps);
}

/// <summary>Max-sensitivity (<see cref="MaxSensitivity"/>): the method is run again on perturbed images; lower is better.</summary>
public sealed class MaxSensitivityMetric : ModelPassMetric
{
    public const string MetricName = "max-sensitivity", ColumnName = "max_sensitivity";

    public static MaxSensitivityMetric Descriptor { get; } = new();

    MaxSensitivityMetric() { }

    public override string Name => MetricName;
    public override string Summary => "The largest relative change of the map when the image moves a little: the method runs ten more times (lower is better).";
    public override string Definition => string.Create(CultureInfo.InvariantCulture,
        $"Captum's `sensitivity_max`: over {MaxSensitivity.DefaultSamples} inputs x + δ, δ uniform in " +
        $"[−{MaxSensitivity.DefaultRadius}, {MaxSensitivity.DefaultRadius}] per element, drawn per image from the sweep's seed: " +
        $"the largest ‖e(x + δ) − e(x)‖ / ‖e(x)‖, e the method's map of the same class, computed again on each input " +
        $"(Frobenius norms; an all-zero map divides by 1).");
    public override string Reference => "Yeh et al. 2019, \"On the (in)fidelity and sensitivity of explanations\"";
    protected override bool HigherIsBetter => false;

    protected override IReadOnlyList<double> Score(ImageJudging judging) =>
        new MaxSensitivity(judging.Settings.Seed).Score(judging.Method, judging.Model, judging.Images, judging.Maps);
}
