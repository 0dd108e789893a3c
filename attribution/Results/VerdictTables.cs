namespace Saliency.Attribution.Results;

/// <summary>
/// The numbers behind the verdict. <c>paired.csv</c>: for each metric and trial, the paired difference to the best trial
/// with its 95% interval, the Wilcoxon signed-rank p-value, Holm's correction of it over the trials, and whether the
/// trial is tied with the best. <c>agreement.csv</c>: Kendall's τ between the trial rankings of every two metrics, with
/// its bootstrap interval.
/// </summary>
public static class VerdictTables
{
    public const string PairedFileName = "paired.csv";
    public const string AgreementFileName = "agreement.csv";

    public static void WritePaired(string path, SweepVerdict verdict, IReadOnlyList<TrialSummary> summaries)
    {
        var labels = summaries.ToDictionary(s => s.Trial.Index, s => s.Trial.Label);
        using var writer = new StreamWriter(path);
        writer.WriteLine("metric,higher_is_better,trial,trial_label,best_trial,images,mean_difference,ci_low,ci_high,p_wilcoxon,p_holm,tied_with_best");
        foreach (var comparison in verdict.Comparisons)
            foreach (var d in comparison.Differences)
                writer.WriteLine(CsvText.Row([
                    comparison.Metric, comparison.HigherIsBetter ? "true" : "false", CsvText.Number(d.Trial), labels.GetValueOrDefault(d.Trial, ""),
                    CsvText.Number(d.Best), CsvText.Number(d.Images), Number(d.Mean), CsvText.Number(d.Low), CsvText.Number(d.High),
                    Number(d.PValue), Number(d.HolmP), d.Tied ? "true" : "false",
                ]));
    }

    public static void WriteAgreement(string path, SweepVerdict verdict)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("first_metric,second_metric,trials,kendall_tau,ci_low,ci_high,may_disagree");
        foreach (var a in verdict.Agreements)
            writer.WriteLine(CsvText.Row([
                a.First, a.Second, CsvText.Number(a.Trials), Number(a.Tau), CsvText.Number(a.Low), CsvText.Number(a.High), a.MayDisagree ? "true" : "false",
            ]));
    }

    static string Number(double value) => double.IsNaN(value) ? "" : CsvText.Number(value);
}
