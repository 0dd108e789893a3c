using System.Globalization;
using Saliency.Attribution.Results;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// What a halving schedule decided for one trial at the end of one rung: go on, or stop, with the evidence. The evidence
/// is the paired difference (trial − best) of the objective on the images of the rung both measured, and its Student t
/// interval at <paramref name="Confidence"/>; a trial stops only when that interval lies wholly on the worse side of zero.
/// </summary>
/// <param name="Best">The trial with the best mean on the rung among those that had completed it; the trial itself when it is that one.</param>
/// <param name="Compared">How many trials had completed the rung when this one was judged, itself included.</param>
public sealed record RungDecision(int Trial, int Rung, int RungImages, bool Stopped, int Best, int Compared, int Images,
    double? Difference, double? Low, double? High, double Confidence, string Objective)
{
    /// <summary>The evidence in words, naming trials by <paramref name="label"/>.</summary>
    public string Describe(Func<int, string> label)
    {
        var where = $"rung {Rung} ({RungImages} images)";
        if (Best == Trial)
            return Compared > 1
                ? $"went on at {where}: the best of the {Compared} trials that had completed it on {Objective}"
                : $"went on at {where}: the first trial to complete it";
        if (Difference is not { } difference)
            return $"went on at {where}: no {Objective} values paired with {label(Best)}";
        var interval = Low is { } low && High is { } high ? $" [{F(low)}, {F(high)}]" : "";
        var evidence = $"{Objective} {Signed(difference)}{interval} per image against {label(Best)} on {Images} paired images " +
            $"({F(100 * Confidence, "G4")}% interval)";
        return Stopped ? $"stopped at {where}: {evidence}, wholly worse" : $"went on at {where}: {evidence}, which reaches zero";
    }

    static string Signed(double value) => (value >= 0 ? "+" : "") + F(value);

    static string F(double value, string format = "G3") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// Judges <paramref name="trial"/> at the end of <paramref name="rung"/>. <paramref name="values"/> holds, for every
    /// trial that has completed the rung (<paramref name="trial"/> among them), its objective on each image of the rung by
    /// image key. The best is the trial with the best mean there; raw means choose it, but only the paired interval stops anyone.
    /// </summary>
    public static RungDecision Judge(int trial, Rung rung, SweepObjective objective, double confidence,
        IReadOnlyDictionary<int, IReadOnlyDictionary<int, double>> values) =>
        Judge(trial, rung, objective, confidence, values, BestOf(values, objective));

    /// <summary>
    /// As <see cref="Judge(int, Rung, SweepObjective, double, IReadOnlyDictionary{int, IReadOnlyDictionary{int, double}})"/>,
    /// with the rung's best taken once for every trial judged against it.
    /// </summary>
    /// <param name="best">The trial with the best mean in <paramref name="values"/> (<see cref="BestOf"/>); null when fewer than two trials have values.</param>
    public static RungDecision Judge(int trial, Rung rung, SweepObjective objective, double confidence,
        IReadOnlyDictionary<int, IReadOnlyDictionary<int, double>> values, int? best)
    {
        var go = new RungDecision(trial, rung.Index, rung.Images, false, trial, values.Count, 0, null, null, null, confidence, objective.Name);
        if (best is not { } rival || rival == trial || !values.TryGetValue(trial, out var own) || own.Count == 0) return go;

        var statistics = new RunningStatistics();
        foreach (var (key, value) in own)
            if (values[rival].TryGetValue(key, out var bestValue)) statistics.Add(value - bestValue);
        if (statistics.Count == 0) return go with { Best = rival };
        var decision = go with { Best = rival, Images = (int)statistics.Count, Difference = statistics.Mean };
        if (statistics.ConfidenceInterval(confidence) is not var (low, high)) return decision;
        var worse = objective.HigherIsBetter ? high < 0 : low > 0;
        return decision with { Low = low, High = high, Stopped = worse };
    }

    /// <summary>The trial with the best mean objective among those with values, lowest index on a tie; null when fewer than two have values.</summary>
    public static int? BestOf(IReadOnlyDictionary<int, IReadOnlyDictionary<int, double>> values, SweepObjective objective)
    {
        var means = values
            .Where(pair => pair.Value.Count > 0)
            .Select(pair => (Trial: pair.Key, Mean: pair.Value.Values.Average()))
            .ToList();
        return means.Count < 2 ? null
            : means.OrderBy(m => objective.HigherIsBetter ? -m.Mean : m.Mean).ThenBy(m => m.Trial).First().Trial;
    }
}
