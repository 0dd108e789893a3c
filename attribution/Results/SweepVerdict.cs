using System.Globalization;
using Saliency.Attribution.Statistics;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>What the sweep says of one trial: its rank under each metric, whether it is tied with the best on the
/// objective, its cost, whether it is on the Pareto front of faithfulness against cost, and one sentence saying why it
/// is or is not recommended.</summary>
/// <param name="Sanity">Each sanity check the sweep ran, by its spec name: true where the trial passes it.</param>
public sealed record TrialVerdict(int Trial, IReadOnlyDictionary<string, int> Ranks, bool? Tied, double? SecondsPerImage, bool Pareto,
    bool Recommended, string Reason, IReadOnlyDictionary<string, bool>? Sanity = null);

/// <summary>
/// The verdict of a sweep, from its per-image results: for every metric the paired comparison of each trial with the
/// best (<see cref="MetricComparison"/>), Kendall's τ between the rankings of every two metrics
/// (<see cref="RankAgreement"/>), one <see cref="TrialVerdict"/> per trial, and findings in plain words.
/// </summary>
public sealed record SweepVerdict(
    SweepObjective Objective,
    IReadOnlyList<MetricComparison> Comparisons,
    IReadOnlyList<RankAgreement> Agreements,
    IReadOnlyList<TrialVerdict> Trials,
    IReadOnlyList<string> Findings)
{
    /// <summary>Methods that know nothing of the model, or nothing at all: they are there to be beaten.</summary>
    public static bool IsControl(string method) => method is "random" or "edge" or "noop";

    public const string FileName = "verdict.txt";

    public TrialVerdict? Of(int trial) => Trials.FirstOrDefault(t => t.Trial == trial);

    /// <summary>The metrics the trials are ranked by, in the order of the results' columns.</summary>
    public IReadOnlyList<string> RankedBy => Comparisons.Select(c => c.Metric).ToList();

    /// <summary>Whether the objective scores maps against ground truth, so that the verdict can judge the other metrics by it.</summary>
    public bool HasGroundTruth => MetricNames.IsLocalisation(Objective.Metric);

    /// <summary>
    /// With ground truth, how far each proxy metric (every ranked metric that does not score against the masks) orders the
    /// trials as the objective does, the proxy <see cref="RankAgreement.First"/>; empty without ground truth.
    /// </summary>
    public IReadOnlyList<RankAgreement> ProxiesAgainstTruth => HasGroundTruth ? [.. With(Agreements, Objective.Metric).Where(a => !MetricNames.IsLocalisation(a.First))] : [];

    /// <summary>The agreements that involve <paramref name="metric"/>, each turned so that it is the second.</summary>
    static IEnumerable<RankAgreement> With(IReadOnlyList<RankAgreement> agreements, string metric) => agreements
        .Select(a => a.Second == metric ? a : a.First == metric ? a with { First = a.Second, Second = a.First } : null)
        .OfType<RankAgreement>();

    /// <summary>The sanity checks some trial has a verdict on.</summary>
    public IReadOnlyList<string> Checks => Trials.SelectMany(t => t.Sanity?.Keys ?? []).Distinct().ToList();

    /// <summary><c>verdict.txt</c>: one line per trial in the order given (best first), then the findings about the metrics.</summary>
    public void WriteText(string path, IReadOnlyList<TrialSummary> ranked)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine($"Verdict by {Objective.Name}{(HasGroundTruth ? ", against the ground truth" : "")}: trials best first, each with why it is or is not recommended.");
        foreach (var summary in ranked)
            if (Of(summary.Trial.Index) is { } verdict)
                writer.WriteLine($"{(verdict.Recommended ? "+" : "-")} {summary.Trial.Label}: {verdict.Reason}");
        foreach (var finding in Findings) writer.WriteLine($"* {finding}");
    }

    public MetricComparison? ComparisonOf(string metric) => Comparisons.FirstOrDefault(c => c.Metric == metric);

    /// <param name="metrics">The result metrics shown (<see cref="MetricNames.ColumnsFor"/>); those that measure no quality are left out.</param>
    /// <param name="sanity">The sanity checks the sweep ran (<see cref="Sanity.SanityChecks.Names"/>).</param>
    /// <param name="stopped">
    /// Trials a halving schedule stopped, with the evidence in words: they rest on the images of their last rung alone,
    /// so they are left out of the paired comparisons, and their verdict is that evidence.
    /// </param>
    public static SweepVerdict Build(IReadOnlyList<TrialSummary> summaries, SweepObjective objective, IReadOnlyList<string> metrics, PerImageValues values, long seed,
        IReadOnlyList<string>? sanity = null, IReadOnlyDictionary<int, string>? stopped = null)
    {
        stopped ??= new Dictionary<int, string>();
        var ranked = metrics.Where(m => MetricNames.HigherIsBetter(m) is not null).Distinct().ToDictionary(m => m,
            m => (IReadOnlyDictionary<int, double[]>)values.Of(m).Where(pair => !stopped.ContainsKey(pair.Key)).ToDictionary(pair => pair.Key, pair => pair.Value));
        var comparisons = ranked
            .Select(m => MetricComparison.Compare(m.Key, MetricNames.HigherIsBetter(m.Key)!.Value, m.Value))
            .OfType<MetricComparison>().ToList();
        var agreements = RankAgreement.Between(
            comparisons.Select(c => (c.Metric, c.HigherIsBetter, ranked[c.Metric])).ToList(), values.Images, seed);
        var byTrial = summaries.ToDictionary(s => s.Trial.Index);
        var ranks = comparisons.ToDictionary(c => c.Metric, c => Ranks(c, byTrial));
        var primary = comparisons.FirstOrDefault(c => c.Metric == objective.Metric);
        var front = ParetoFront(summaries.Where(s => !stopped.ContainsKey(s.Trial.Index)).ToList(), objective);

        var trials = summaries.OrderBy(s => s.Trial.Index).Select(summary =>
        {
            var index = summary.Trial.Index;
            var trialRanks = ranks.Where(r => r.Value.ContainsKey(index)).ToDictionary(r => r.Key, r => r.Value[index]);
            var difference = primary?.Of(index);
            var (recommended, reason) = stopped.TryGetValue(index, out var stop)
                ? (false, $"Not recommended: the halving schedule {stop}.")
                : Explain(summary, objective, primary, difference, front, byTrial);
            var checks = SanityOf(summary, sanity ?? []);
            if (checks.FirstOrDefault(c => !c.Value) is { Key: { } failed })
            {
                var rho = summary.Metric(MetricNames.OfCheck(failed))!.Mean;
                var what = failed == Sanity.SanityChecks.ModelRandomisationName ? "with every layer of the model randomised" : "for a random other class";
                var fails = $"it fails the {failed} check: its maps keep ρ = {F(rho, "F2")} of their rank order {what} (a pass is below " +
                    $"{F(Sanity.SanityChecks.PassBelow, "F1")}), so they follow the image more than the model";
                (recommended, reason) = IsControl(summary.Trial.Method)
                    ? (false, $"{reason} As a model-blind control should, {fails}.")
                    : (false, $"Not recommended: {fails}. On faithfulness alone: {WithoutRecommendation(reason)}");
            }
            return new TrialVerdict(index, trialRanks, difference?.Tied, CostOf(summary), front.Contains(index), recommended, reason, checks);
        }).ToList();
        return new SweepVerdict(objective, comparisons, agreements, trials, FindingsOf(comparisons, agreements, byTrial, primary, ranks, objective));
    }

    /// <summary>A reason without its leading "Recommended…:" or "Not recommended:", for a sentence that has said so already.</summary>
    static string WithoutRecommendation(string reason) =>
        (reason.StartsWith("Recommended", StringComparison.Ordinal) || reason.StartsWith("Not recommended", StringComparison.Ordinal))
            && reason.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon
            ? reason[(colon + 2)..] : reason;

    /// <summary>Pass (true) or fail per check, for the checks the trial has numbers for.</summary>
    static Dictionary<string, bool> SanityOf(TrialSummary summary, IReadOnlyList<string> checks) => checks
        .Where(check => summary.Metric(MetricNames.OfCheck(check)) is not null)
        .ToDictionary(check => check, check => Sanity.SanityChecks.Passes(summary.Metric(MetricNames.OfCheck(check))!.Mean));

    /// <summary>
    /// The method's seconds per image: its attribution alone, without the metrics and checks run on its maps, and the
    /// median over work items, so the warm-up a worker spends on its first items does not weigh on the trials it did first.
    /// </summary>
    public static double? CostOf(TrialSummary summary) =>
        summary.Images == 0 ? null : summary.MedianSecondsPerImage ?? (summary.MethodSeconds ?? summary.Seconds) / summary.Images;

    static Dictionary<int, int> Ranks(MetricComparison comparison, IReadOnlyDictionary<int, TrialSummary> summaries) =>
        comparison.Differences
            .Where(d => summaries.ContainsKey(d.Trial) && summaries[d.Trial].Metric(comparison.Metric) is not null)
            .OrderBy(d => Goodness(summaries[d.Trial].Metric(comparison.Metric)!.Mean, comparison.HigherIsBetter) * -1).ThenBy(d => d.Trial)
            .Select((d, rank) => (d.Trial, Rank: rank + 1))
            .ToDictionary(p => p.Trial, p => p.Rank);

    static double Goodness(double mean, bool higherIsBetter) => higherIsBetter ? mean : -mean;

    /// <summary>Trials no other trial beats on the objective at no more cost per image (and on one of them strictly).</summary>
    public static HashSet<int> ParetoFront(IReadOnlyList<TrialSummary> summaries, SweepObjective objective)
    {
        var points = summaries
            .Where(s => s.Failure is null && objective.ValueOf(s) is not null && CostOf(s) is not null)
            .Select(s => (s.Trial.Index, Good: Goodness(objective.ValueOf(s)!.Value, objective.HigherIsBetter), Cost: CostOf(s)!.Value))
            .ToList();
        return points
            .Where(p => !points.Any(q => q.Good >= p.Good && q.Cost <= p.Cost && (q.Good > p.Good || q.Cost < p.Cost)))
            .Select(p => p.Index).ToHashSet();
    }

    static (bool Recommended, string Reason) Explain(TrialSummary summary, SweepObjective objective, MetricComparison? primary,
        PairedDifference? difference, HashSet<int> front, IReadOnlyDictionary<int, TrialSummary> summaries)
    {
        var metric = objective.Metric;
        if (summary.Images == 0)
            return (false, summary.Failure is { } failure ? $"Not recommended: no image was computed ({failure})." : "Not ranked: no image was computed.");
        if (primary is null || difference is null) return (false, $"Not ranked: it has no {metric} values.");
        var best = summaries[primary.Best];
        var control = IsControl(summary.Trial.Method);
        var partial = summary.Failure is not null ? " Some of its work failed, so it rests on fewer images." : "";
        // Worse, when not tied, by the paired mean difference; its interval turned the same way, so it reads as a gap.
        var gap = primary.HigherIsBetter ? -difference.Mean : difference.Mean;
        var gapInterval = difference.Low is { } low && difference.High is { } high
            ? primary.HigherIsBetter ? $" [{F(-high)}, {F(-low)}]" : $" [{F(low)}, {F(high)}]" : "";
        var evidence = $"by {F(gap)}{gapInterval} per image, Holm p {P(difference.HolmP)}";
        var tiedEvidence = $"paired difference {Signed(difference.Mean)}{Interval(difference)}, Holm p {P(difference.HolmP)}";

        if (control)
            return (false, difference.Tied
                ? $"A control that ties with the best on {metric} ({tiedEvidence}): on these images {metric} cannot tell the sweep's maps from a model-independent one.{partial}"
                : $"A control, behind the best on {metric} as it should be, {evidence}.{partial}");
        if (primary.Best == summary.Trial.Index)
        {
            var tied = primary.Tied.Count - 1;
            var others = tied == 0 ? "and no other trial is tied with it" : $"though {tied} other trial{(tied == 1 ? " is" : "s are")} statistically tied with it";
            return (true, $"Recommended: the best on {metric} (mean {F(best.Metric(metric)!.Mean)}), {others}; {Seconds(CostOf(summary))} per image.{partial}");
        }
        if (!difference.Tied)
        {
            // The signed-rank test can find a gap consistent across images that the mean's interval still spans zero for.
            var small = difference.Low is { } lo && difference.High is { } hi && lo <= 0 && hi >= 0
                ? "; the gap is consistent across images but small: its 95% interval still reaches zero" : "";
            return (false, $"Not recommended: worse than the best on {metric} {evidence}{small}" +
                (front.Contains(summary.Trial.Index) ? "; on the Pareto front, as nothing more faithful costs less." : ".") + partial);
        }
        if (front.Contains(summary.Trial.Index) && CostOf(summary) is { } cost && CostOf(best) is { } bestCost && cost < bestCost)
            return (true, $"Recommended where cost matters: tied with the best on {metric} ({tiedEvidence}) at {F(bestCost / cost, "F1")}× less compute per image.{partial}");
        var cheaper = summaries.Values
            .Where(s => s.Trial.Index != summary.Trial.Index && front.Contains(s.Trial.Index) && primary.Of(s.Trial.Index)?.Tied == true
                && CostOf(s) <= CostOf(summary) && !IsControl(s.Trial.Method))
            .OrderBy(s => CostOf(s)).FirstOrDefault();
        return (false, cheaper is null
            ? $"Tied with the best on {metric} ({tiedEvidence}), at no saving in cost.{partial}"
            : $"Tied with the best on {metric} ({tiedEvidence}), but {cheaper.Trial.Label} is as faithful for no more compute.{partial}");
    }

    static IReadOnlyList<string> FindingsOf(IReadOnlyList<MetricComparison> comparisons, IReadOnlyList<RankAgreement> agreements,
        IReadOnlyDictionary<int, TrialSummary> summaries, MetricComparison? primary, IReadOnlyDictionary<string, Dictionary<int, int>> ranks,
        SweepObjective objective)
    {
        var findings = new List<string>();
        var truth = MetricNames.IsLocalisation(objective.Metric);
        if (truth) findings.AddRange(TruthFindings(agreements, objective.Metric));
        if (primary is not null && ranks.TryGetValue(primary.Metric, out var order))
            foreach (var control in summaries.Values.Where(s => IsControl(s.Trial.Method) && order.ContainsKey(s.Trial.Index)).OrderBy(s => s.Trial.Index))
            {
                var beaten = summaries.Values
                    .Where(s => !IsControl(s.Trial.Method) && order.TryGetValue(s.Trial.Index, out var rank) && rank > order[control.Trial.Index])
                    .OrderBy(s => order[s.Trial.Index]).Select(s => s.Trial.Label).ToList();
                if (beaten.Count > 0)
                    findings.Add($"The control {control.Trial.Label}, which knows nothing of the model, ranks above {beaten.Count} method trial{(beaten.Count == 1 ? "" : "s")} on {primary.Metric} " +
                        $"({string.Join("; ", beaten.Take(3))}{(beaten.Count > 3 ? "; …" : "")}): " + (truth
                            ? "those trials' maps find the evidence the model uses no better than a map that knows nothing of the model."
                            : $"on these images {primary.Metric} rewards something a model-blind map also has, " +
                                "so those trials' maps are no more faithful than it."));
            }
        var faithfulness = comparisons.Where(c => MetricNames.IsFaithfulness(c.Metric)).ToList();
        // A flip is a best under one metric that is not even tied with the best under another.
        var flips = faithfulness.Any(first => faithfulness.Any(second => first.Best != second.Best && !second.Tied.Contains(first.Best)));
        if (flips)
            findings.Add("The best trial depends on the metric: " + string.Join("; ", faithfulness.GroupBy(c => c.Best)
                .Select(group => $"{Label(summaries, group.Key)} under {string.Join(", ", group.Select(c => c.Metric))}")) + ".");
        var pairs = agreements.Where(a => MetricNames.IsFaithfulness(a.First) && MetricNames.IsFaithfulness(a.Second)).ToList();
        string Pairs(IEnumerable<RankAgreement> group) => string.Join("; ", group.Select(a => $"{a.First} with {a.Second} {F(a.Tau, "F2")}{TauInterval(a)}"));
        var (alike, reversed) = (pairs.Where(a => !a.MayDisagree).ToList(), pairs.Where(a => a.High is { } high && high < 0).ToList());
        var unrelated = pairs.Except(alike).Except(reversed).ToList();
        if (alike.Count > 0)
            findings.Add($"These metrics order the trials alike (Kendall τ, its 95% interval above 0): {Pairs(alike)}.");
        if (unrelated.Count > 0)
            findings.Add($"These may order the trials unrelatedly (the interval reaches 0), so which trial is best depends on which of them is asked: {Pairs(unrelated)}.");
        if (reversed.Count > 0)
            findings.Add($"These order the trials in reverse (the interval below 0): {Pairs(reversed)}.");
        return findings;
    }

    /// <summary>
    /// Which proxy metrics order the trials as the ground truth does on this sweep, which may not, and which reverse it; then
    /// how the other ground-truth metrics agree with it.
    /// </summary>
    static IEnumerable<string> TruthFindings(IReadOnlyList<RankAgreement> agreements, string truth)
    {
        var proxies = With(agreements, truth).Where(a => !MetricNames.IsLocalisation(a.First)).ToList();
        string List(IEnumerable<RankAgreement> group) => string.Join("; ", group.OrderByDescending(a => a.Tau).Select(a => $"{a.First} {F(a.Tau, "F2")}{TauInterval(a)}"));
        var (agree, reverse) = (proxies.Where(a => !a.MayDisagree).ToList(), proxies.Where(a => a.High is { } high && high < 0).ToList());
        var unrelated = proxies.Except(agree).Except(reverse).ToList();
        if (agree.Count > 0)
            yield return $"Against the ground truth ({truth}), these metrics order the trials as it does on this sweep (Kendall τ, its 95% interval above 0), so here they deserve trust: {List(agree)}.";
        if (unrelated.Count > 0)
            yield return $"These may order the trials unrelatedly to the ground truth ({truth}; the interval reaches 0), so on this sweep they cannot say which map finds the evidence: {List(unrelated)}.";
        if (reverse.Count > 0)
            yield return $"These order the trials in reverse of the ground truth ({truth}; the interval below 0): on this sweep they reward maps that miss the evidence: {List(reverse)}.";
        var localisation = With(agreements, truth).Where(a => MetricNames.IsLocalisation(a.First)).ToList();
        if (localisation.Count > 0)
            yield return $"The other ground-truth metrics against {truth}: {List(localisation)}.";
    }

    static string Label(IReadOnlyDictionary<int, TrialSummary> summaries, int trial) => summaries.TryGetValue(trial, out var s) ? s.Trial.Label : $"trial {trial}";

    static string TauInterval(RankAgreement a) => a.Low is { } low && a.High is { } high ? $" [{F(low, "F2")}, {F(high, "F2")}]" : "";

    static string Interval(PairedDifference d) => d.Low is { } low && d.High is { } high ? $" [{F(low)}, {F(high)}]" : "";

    static string Signed(double value) => (value >= 0 ? "+" : "") + F(value);

    static string P(double p) => double.IsNaN(p) ? "n/a" : p < 0.001 ? "< 0.001" : $"= {F(p, "F3")}";

    static string Seconds(double? seconds) => seconds is { } s ? $"{F(s, s >= 10 ? "F0" : s >= 1 ? "F1" : "G2")} s" : "no measured cost";

    static string F(double value, string format = "G3") => value.ToString(format, CultureInfo.InvariantCulture);
}
