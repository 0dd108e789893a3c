using Saliency.Attribution.Metrics;
using Saliency.Attribution.Metrics.Localisation;
using Saliency.Attribution.Results;
using Saliency.Attribution.Statistics;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Results;

/// <summary>
/// The verdict of a sweep ranked by ground truth: relevance mass orders five trials (the best; a noisy copy of it at a quarter
/// of the cost; IG from black, 0.2 behind; random, 0.4 behind; edge, 0.1 behind). Insertion and the pointing game follow it,
/// deletion to the blur reverses it (its lowest, best value on the trial the truth ranks last), and ROAD MoRF is noise.
/// </summary>
public class GroundTruthVerdictTests
{
    const int Images = 60;

    static readonly (Trial Trial, double Offset, bool Noisy, double Seconds)[] Pattern =
    [
        (new Trial(0, "ig", new Dictionary<string, string> { ["baseline"] = "blur:5" }), 0, false, 0.04),
        (new Trial(1, "gradient", new Dictionary<string, string>()), -0.001, true, 0.01),
        (new Trial(2, "ig", new Dictionary<string, string> { ["baseline"] = "black" }), -0.2, false, 0.04),
        (new Trial(3, "random", new Dictionary<string, string>()), -0.4, false, 0.001),
        (new Trial(4, "edge", new Dictionary<string, string>()), -0.1, false, 0.002),
    ];

    static readonly string RelevanceMassColumn = LocalisationMetrics.Column(RelevanceMass.MetricName), PointingGameColumn = LocalisationMetrics.Column(PointingGame.MetricName);

    static readonly string[] Metrics = [RelevanceMassColumn, PointingGameColumn, InsertionMetric.AucColumn, DeletionMetric.AucColumn, RoadMetric.MorfColumn];

    static IReadOnlyList<ShardOutcome> Outcomes(Func<int, double>? modelRandomisation = null)
    {
        var noise = new Random(5);
        return [.. Pattern.Select(p => new ShardOutcome(p.Trial.Index, 0, [.. Enumerable.Range(0, Images).Select(key =>
        {
            var mass = 0.5 + key % 7 * 0.05 + p.Offset + (p.Noisy ? (key % 2 == 0 ? 0.01 : -0.01) * (1 + key % 3) : 0);
            var image = TestOutcomes.Image(key, 0, 0, 1, null, 1, null, null, deletionAuc: mass, insertionAuc: 0.5 * mass + 0.2, 0, p.Seconds,
                modelRandomisation: modelRandomisation is null ? null : [0.99, modelRandomisation(p.Trial.Index)]);
            return image with
            {
                Metrics = new Dictionary<string, double>(image.Metrics!)
                {
                    [RelevanceMassColumn] = mass,
                    [PointingGameColumn] = mass > 0.4 ? 1 : 0,
                    [RoadMetric.MorfColumn] = noise.NextDouble(),
                },
            };
        })], [], p.Seconds * Images))];
    }

    static (IReadOnlyList<TrialSummary> Summaries, PerImageValues Values) Sweep(IReadOnlyList<ShardOutcome> outcomes, IReadOnlyList<string> metrics)
    {
        var values = new PerImageValues();
        foreach (var outcome in outcomes)
            foreach (var image in outcome.Images)
                foreach (var metric in metrics)
                    if (MetricNames.ValueOf(metric, image) is { } value) values.Add(metric, outcome.Trial, image.Key, value);
        var summaries = TrialAggregate.Summarise(Pattern.Select(p => p.Trial).ToList(), outcomes.Select(o => new LoggedShard(DateTimeOffset.UtcNow, o)));
        return (SweepObjective.RelevanceMass.Rank(summaries), values);
    }

    static SweepVerdict Verdict(SweepObjective objective)
    {
        var (summaries, values) = Sweep(Outcomes(), Metrics);
        return SweepVerdict.Build(objective.Rank(summaries), objective, Metrics, values, seed: 1);
    }

    [Fact]
    public void Ranked_by_ground_truth_it_says_which_proxy_metrics_order_the_trials_as_the_truth_does_with_tau_and_interval()
    {
        var verdict = Verdict(SweepObjective.RelevanceMass);

        Assert.True(verdict.HasGroundTruth);
        var agree = Assert.Single(verdict.Findings, f => f.StartsWith("Against the ground truth (relevance_mass), these metrics order the trials as it does", StringComparison.Ordinal));
        Assert.EndsWith(": insertion_auc 1.00 [1.00, 1.00].", agree);
    }

    [Fact]
    public void A_proxy_that_reverses_the_truth_and_one_that_is_noise_are_said_apart()
    {
        var findings = Verdict(SweepObjective.RelevanceMass).Findings;

        var reversed = Assert.Single(findings, f => f.StartsWith("These order the trials in reverse of the ground truth (relevance_mass", StringComparison.Ordinal));
        Assert.EndsWith(": deletion_auc -1.00 [-1.00, -1.00].", reversed);
        var unrelated = Assert.Single(findings, f => f.StartsWith("These may order the trials unrelatedly to the ground truth (relevance_mass", StringComparison.Ordinal));
        Assert.Contains("road_morf", unrelated);
        Assert.DoesNotContain("insertion_auc", unrelated);
    }

    [Fact]
    public void Each_proxy_is_set_against_the_truth_and_the_other_ground_truth_metrics_are_not_counted_as_proxies()
    {
        var verdict = Verdict(SweepObjective.RelevanceMass);

        Assert.Equal([DeletionMetric.AucColumn, InsertionMetric.AucColumn, RoadMetric.MorfColumn], verdict.ProxiesAgainstTruth.Select(a => a.First).Order());
        Assert.All(verdict.ProxiesAgainstTruth, a => Assert.Equal(RelevanceMassColumn, a.Second));
        Assert.Contains(verdict.Findings, f => f.StartsWith("The other ground-truth metrics against relevance_mass: pointing_game", StringComparison.Ordinal));
    }

    [Fact]
    public void Ranked_by_a_proxy_the_verdict_judges_no_metric_by_the_masks()
    {
        var verdict = Verdict(SweepObjective.Insertion);

        Assert.False(verdict.HasGroundTruth);
        Assert.Empty(verdict.ProxiesAgainstTruth);
        Assert.DoesNotContain(verdict.Findings, f => f.Contains("ground truth", StringComparison.Ordinal));
    }

    [Fact]
    public void A_control_above_a_method_on_ground_truth_says_the_method_finds_the_evidence_no_better_than_a_model_blind_map()
    {
        var finding = Assert.Single(Verdict(SweepObjective.RelevanceMass).Findings, f => f.StartsWith("The control edge", StringComparison.Ordinal));

        Assert.Equal("The control edge, which knows nothing of the model, ranks above 1 method trial on relevance_mass (ig baseline=black): those trials' maps " +
            "find the evidence the model uses no better than a map that knows nothing of the model.", finding);
    }

    [Fact]
    public void Every_sanity_check_still_holds_a_trial_the_truth_ranks_first_back()
    {
        string[] metrics = [.. Metrics, MetricNames.ModelRandomisation];
        var (summaries, values) = Sweep(Outcomes(trial => trial is 0 or 4 ? 0.9 : 0.1), metrics);

        var verdict = SweepVerdict.Build(summaries, SweepObjective.RelevanceMass, metrics, values, seed: 1, sanity: ["model-randomisation"]);

        Assert.False(verdict.Of(0)!.Sanity!["model-randomisation"]);
        Assert.False(verdict.Of(0)!.Recommended);
        Assert.StartsWith("Not recommended: it fails the model-randomisation check", verdict.Of(0)!.Reason);
        Assert.Contains("the best on relevance_mass", verdict.Of(0)!.Reason);
        Assert.True(verdict.Of(1)!.Recommended);
        Assert.Contains(verdict.Findings, f => f.StartsWith("Against the ground truth", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verdict_txt_and_report_html_show_how_the_proxies_agreed_with_the_truth()
    {
        using var run = new RunDirectory();
        var outcomes = Outcomes();
        using (var log = new ResultLog(run.Path))
            foreach (var outcome in outcomes) log.Append(outcome);
        var trials = Pattern.Select(p => p.Trial).ToList();

        await SweepResultsWriter.WriteAsync(new SweepReport
        {
            RunDirectory = run.Path,
            SweepName = "planted",
            Trials = trials,
            Summaries = TrialAggregate.Summarise(trials, ResultLog.ReadEntries(ResultLog.PathIn(run.Path))),
            Metrics = Metrics,
            Objective = SweepObjective.RelevanceMass,
            Seed = 1,
        }, ResultLog.Read(ResultLog.PathIn(run.Path)));

        var verdict = File.ReadAllLines(run.File(SweepVerdict.FileName));
        Assert.StartsWith("Verdict by relevance-mass, against the ground truth:", verdict[0]);
        Assert.Contains("* Against the ground truth (relevance_mass), these metrics order the trials as it does on this sweep (Kendall τ, its 95% interval above 0), " +
            "so here they deserve trust: insertion_auc 1.00 [1.00, 1.00].", verdict);
        var report = File.ReadAllText(run.File(HtmlReport.FileName));
        Assert.Contains("Against the ground truth (relevance_mass)", report);
        Assert.Contains("deletion_auc -1.00 [-1.00, -1.00]", report);
    }
}
