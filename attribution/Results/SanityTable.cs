namespace Saliency.Attribution.Results;

/// <summary>
/// <c>sanity.csv</c>: the numbers behind the sanity columns of summary.csv. For each trial, each step of the
/// model-randomisation cascade (output layer first, the layers randomised so far named) with the mean, 95% interval and
/// count of Spearman's ρ between |map| and the original, and the random-logit check as one more row.
/// </summary>
public sealed class SanityTable
{
    public const string FileName = "sanity.csv";

    readonly Dictionary<int, List<RunningStatistics>> cascade = new();
    readonly Dictionary<int, IReadOnlyList<string>> layers = new();
    readonly Dictionary<int, RunningStatistics> randomLogit = new();

    public void Add(int trial, IReadOnlyList<string>? randomisedLayers, Sweeps.ImageOutcome image)
    {
        if (image.ModelRandomisation is { Count: > 0 } steps)
        {
            if (randomisedLayers is { Count: > 0 }) layers.TryAdd(trial, randomisedLayers);
            if (!cascade.TryGetValue(trial, out var statistics)) cascade[trial] = statistics = [];
            while (statistics.Count < steps.Count) statistics.Add(new RunningStatistics());
            for (var step = 0; step < steps.Count; step++) statistics[step].Add(steps[step]);
        }
        if (image.Metric(MetricNames.RandomLogit) is { } rho)
        {
            if (!randomLogit.TryGetValue(trial, out var statistics)) randomLogit[trial] = statistics = new RunningStatistics();
            statistics.Add(rho);
        }
    }

    /// <returns>False, writing nothing and removing an old file, when the sweep ran no sanity check.</returns>
    public bool Write(string path, IReadOnlyList<TrialSummary> ranked)
    {
        if (cascade.Count == 0 && randomLogit.Count == 0)
        {
            File.Delete(path);
            return false;
        }
        using var writer = new StreamWriter(path);
        writer.WriteLine("trial,trial_label,check,step,randomised,images,spearman_mean,ci_low,ci_high,pass");
        foreach (var summary in ranked)
        {
            var trial = summary.Trial.Index;
            if (cascade.TryGetValue(trial, out var steps))
            {
                var names = layers.GetValueOrDefault(trial) ?? [];
                for (var step = 0; step < steps.Count; step++)
                    Row(writer, summary, Sanity.SanityChecks.ModelRandomisationName, step + 1,
                        string.Join(" ", names.Take(step + 1)), steps[step], last: step == steps.Count - 1);
            }
            if (randomLogit.TryGetValue(trial, out var statistics))
                Row(writer, summary, Sanity.SanityChecks.RandomLogitName, 1, "", statistics, last: true);
        }
        return true;
    }

    static void Row(StreamWriter writer, TrialSummary summary, string check, int step, string randomised, RunningStatistics statistics, bool last)
    {
        var snapshot = statistics.Snapshot()!;
        writer.WriteLine(CsvText.Row([
            CsvText.Number(summary.Trial.Index), summary.Trial.Label, check, CsvText.Number(step), randomised, CsvText.Number(snapshot.Count),
            CsvText.Number(snapshot.Mean), CsvText.Number(snapshot.Low), CsvText.Number(snapshot.High),
            last ? Sanity.SanityChecks.Passes(snapshot.Mean) ? "pass" : "fail" : "",
        ]));
    }
}
