using Saliency.Attribution.Metrics;
using Saliency.Attribution.Results;
using Saliency.Attribution.Statistics;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Tests.Results;

/// <summary>The verdict on trials whose per-image results are made to a known pattern.</summary>
public class SweepVerdictTests
{
    const int Images = 60;

    // 0: the best. 1: the best's values, 0.001 lower, and noise of ±0.01-0.03 that hides it, at a quarter of the cost. 2: worse by 0.2.
    // 3: random, worse by 0.4. 4: edge, worse by 0.1, so above trial 2.
    static readonly (Trial Trial, double Offset, bool Noisy, double Seconds)[] Pattern =
    [
        (new Trial(0, "ig", new Dictionary<string, string> { ["baseline"] = "blur:5" }), 0, false, 0.04),
        (new Trial(1, "gradient", new Dictionary<string, string>()), -0.001, true, 0.01),
        (new Trial(2, "ig", new Dictionary<string, string> { ["baseline"] = "black" }), -0.2, false, 0.04),
        (new Trial(3, "random", new Dictionary<string, string>()), -0.4, false, 0.001),
        (new Trial(4, "edge", new Dictionary<string, string>()), -0.1, false, 0.002),
    ];

    static (IReadOnlyList<TrialSummary> Summaries, PerImageValues Values) Sweep(Func<int, double>? modelRandomisation = null)
    {
        var values = new PerImageValues();
        var outcomes = new List<ShardOutcome>();
        foreach (var (trial, offset, noisy, seconds) in Pattern)
        {
            var images = Enumerable.Range(0, Images).Select(key =>
            {
                var truth = 0.3 + key % 7 * 0.05;
                var noise = noisy ? (key % 2 == 0 ? 0.01 : -0.01) * (1 + key % 3) : 0;
                var insertion = truth + offset + noise;
                values.Add(InsertionMetric.AucColumn, trial.Index, key, insertion);
                return TestOutcomes.Image(key, 0, 0, 1, null, 1, null, null, null, insertion, 0, seconds,
                    modelRandomisation: modelRandomisation is null ? null : [0.99, modelRandomisation(trial.Index)]);
            }).ToList();
            outcomes.Add(new ShardOutcome(trial.Index, 0, images, [], seconds * Images));
        }
        var summaries = TrialAggregate.Summarise(Pattern.Select(p => p.Trial).ToList(), outcomes.Select(o => new LoggedShard(DateTimeOffset.UtcNow, o)));
        return (SweepObjective.Insertion.Rank(summaries), values);
    }

    static SweepVerdict Verdict()
    {
        var (summaries, values) = Sweep();
        return SweepVerdict.Build(summaries, SweepObjective.Insertion, [MetricNames.Score, InsertionMetric.AucColumn], values, seed: 1);
    }

    [Fact]
    public void The_best_and_a_cheaper_trial_tied_with_it_are_recommended_and_the_rest_are_not()
    {
        var verdict = Verdict();

        Assert.Equal([0, 1], verdict.Trials.Where(t => t.Recommended).Select(t => t.Trial));
        Assert.Equal([0, 1], verdict.ComparisonOf(InsertionMetric.AucColumn)!.Tied);
        Assert.StartsWith("Recommended: the best on insertion_auc", verdict.Of(0)!.Reason);
        Assert.Contains("1 other trial is statistically tied", verdict.Of(0)!.Reason);
        Assert.StartsWith("Recommended where cost matters: tied with the best on insertion_auc", verdict.Of(1)!.Reason);
        Assert.Contains("4.0× less compute", verdict.Of(1)!.Reason);
        Assert.StartsWith("Not recommended: worse than the best on insertion_auc by 0.2 [0.2, 0.2] per image, Holm p < 0.001", verdict.Of(2)!.Reason);
        Assert.StartsWith("A control, behind the best on insertion_auc as it should be, by 0.4", verdict.Of(3)!.Reason);
    }

    [Fact]
    public void A_trial_that_fails_model_randomisation_is_not_recommended_however_faithful_and_a_control_fails_it_as_it_should()
    {
        // The best and the edge control keep their maps' order on a random model; the others lose it.
        var (summaries, values) = Sweep(trial => trial is 0 or 4 ? 0.9 : 0.1);
        var verdict = SweepVerdict.Build(summaries, SweepObjective.Insertion, [InsertionMetric.AucColumn, MetricNames.ModelRandomisation], values, seed: 1,
            sanity: ["model-randomisation"]);

        Assert.Equal([false, true, true, true, false], verdict.Trials.Select(t => t.Sanity!["model-randomisation"]));
        Assert.StartsWith("Not recommended: it fails the model-randomisation check: its maps keep ρ = 0.90 of their rank order with every layer of the model randomised " +
            "(a pass is below 0.5), so they follow the image more than the model. On faithfulness alone: the best on insertion_auc", verdict.Of(0)!.Reason);
        Assert.False(verdict.Of(0)!.Recommended);
        Assert.True(verdict.Of(1)!.Recommended);
        Assert.EndsWith("As a model-blind control should, it fails the model-randomisation check: its maps keep ρ = 0.90 of their rank order with every layer " +
            "of the model randomised (a pass is below 0.5), so they follow the image more than the model.", verdict.Of(4)!.Reason);

        using var run = new RunDirectory();
        SummaryTable.Write(run.File("summary.csv"), summaries, [InsertionMetric.AucColumn], verdict);
        var header = File.ReadLines(run.File("summary.csv")).First().Split(',');
        var first = File.ReadLines(run.File("summary.csv")).Skip(1).First().Split(',');
        Assert.Equal("fail", first[Array.IndexOf(header, "sanity_model_randomisation")]);
    }

    [Fact]
    public void A_gap_the_signed_rank_test_finds_but_the_mean_interval_spans_is_called_consistent_but_small()
    {
        // Trial 1 against trial 0: fifty images a little worse and ten much better, so the mean barely moves.
        var trials = new[] { new Trial(0, "ig", new Dictionary<string, string>()), new Trial(1, "gradient", new Dictionary<string, string>()) };
        var values = new PerImageValues();
        var outcomes = trials.Select(trial => new ShardOutcome(trial.Index, 0, Enumerable.Range(0, 60).Select(key =>
        {
            var insertion = 0.5 + key % 5 * 0.01 + (trial.Index == 0 ? 0 : key < 50 ? -0.01 : 0.04);
            values.Add(InsertionMetric.AucColumn, trial.Index, key, insertion);
            return TestOutcomes.Image(key, 0, 0, 1, null, 1, null, null, null, insertion, 0, 0.01);
        }).ToList(), [], 0.6)).ToList();
        var summaries = SweepObjective.Insertion.Rank(TrialAggregate.Summarise(trials, outcomes.Select(o => new LoggedShard(DateTimeOffset.UtcNow, o))));

        var verdict = SweepVerdict.Build(summaries, SweepObjective.Insertion, [InsertionMetric.AucColumn], values, seed: 1);

        var difference = verdict.ComparisonOf(InsertionMetric.AucColumn)!.Of(1)!;
        Assert.False(difference.Tied);
        Assert.True(difference.Low < 0 && difference.High > 0, $"[{difference.Low}, {difference.High}]");
        Assert.Contains("the gap is consistent across images but small: its 95% interval still reaches zero", verdict.Of(1)!.Reason);
    }

    [Fact]
    public void Ranks_the_pareto_front_and_the_score_which_measures_no_quality()
    {
        var verdict = Verdict();

        Assert.Equal([1, 2, 4, 5, 3], verdict.Trials.Select(t => t.Ranks[InsertionMetric.AucColumn]));
        Assert.All(verdict.Trials, t => Assert.False(t.Ranks.ContainsKey(MetricNames.Score)));
        // Trial 1 is dearer than the controls but far more faithful; trial 2 is beaten by the cheaper, better edge.
        Assert.Equal([true, true, false, true, true], verdict.Trials.Select(t => t.Pareto));
        Assert.Equal(0.04, verdict.Of(0)!.SecondsPerImage!.Value, 12);
    }

    [Fact]
    public void A_control_that_ranks_above_a_method_is_named_among_the_findings()
    {
        var finding = Assert.Single(Verdict().Findings);

        Assert.StartsWith("The control edge, which knows nothing of the model, ranks above 1 method trial on insertion_auc (ig baseline=black)", finding);
    }

    [Fact]
    public void Findings_group_the_best_trial_by_metric_and_the_metric_pairs_by_how_they_agree()
    {
        var (summaries, values) = Sweep();
        // ROAD's MoRF orders the trials as insertion does (lower is better), its LeRF in reverse (higher is better).
        foreach (var (trial, _, _, _) in Pattern)
            foreach (var (key, insertion) in values.Of(InsertionMetric.AucColumn)[trial.Index].Select((v, k) => (k, v)))
            {
                values.Add(RoadMetric.MorfColumn, trial.Index, key, 1 - insertion);
                values.Add(RoadMetric.LerfColumn, trial.Index, key, 1 - insertion);
            }

        var findings = SweepVerdict.Build(summaries, SweepObjective.Insertion, [InsertionMetric.AucColumn, RoadMetric.MorfColumn, RoadMetric.LerfColumn], values, seed: 1).Findings;

        Assert.Contains("The best trial depends on the metric: ig baseline=blur:5 under insertion_auc, road_morf; random under road_lerf.", findings);
        Assert.Single(findings, f => f.StartsWith("These metrics order the trials alike", StringComparison.Ordinal) && f.Contains("insertion_auc with road_morf 1.00"));
        var reversed = Assert.Single(findings, f => f.StartsWith("These order the trials in reverse", StringComparison.Ordinal));
        Assert.Contains("insertion_auc with road_lerf -1.00", reversed);
        Assert.Contains("road_morf with road_lerf -1.00", reversed);
        Assert.DoesNotContain(findings, f => f.StartsWith("These may order", StringComparison.Ordinal));
    }

    [Fact]
    public void The_tables_hold_the_verdict_columns_and_one_paired_row_per_metric_and_trial()
    {
        using var run = new RunDirectory();
        var (summaries, _) = Sweep();
        var verdict = Verdict();

        SummaryTable.Write(run.File("summary.csv"), summaries, [InsertionMetric.AucColumn], verdict);
        VerdictTables.WritePaired(run.File("paired.csv"), verdict, summaries);
        verdict.WriteText(run.File("verdict.txt"), summaries);

        var header = File.ReadLines(run.File("summary.csv")).First();
        Assert.EndsWith("failure,rank_insertion_auc,tied_with_best,seconds_per_image,pareto,recommended,verdict", header);
        Assert.Equal(1 + Pattern.Length, File.ReadAllLines(run.File("paired.csv")).Length);
        var lines = File.ReadAllLines(run.File("verdict.txt"));
        Assert.StartsWith("+ ig baseline=blur:5: Recommended", lines[1]);
        Assert.StartsWith("* The control edge", lines[^1]);
    }
}
