using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>
/// <c>schedule.csv</c>: every rung decision of a halving schedule in the order made, one row each, with the paired
/// evidence it rests on, so a reader sees which trials stopped where and why, and which went on.
/// </summary>
public static class ScheduleTable
{
    public const string FileName = "schedule.csv";

    /// <summary>Each trial the schedule stopped, with the evidence in words.</summary>
    public static IReadOnlyDictionary<int, string> Stops(IReadOnlyList<RungDecision> decisions, Func<int, string> label) =>
        decisions.Where(d => d.Stopped).GroupBy(d => d.Trial).ToDictionary(g => g.Key, g => g.First().Describe(label));

    /// <returns>False, writing nothing (and removing an old file), when there were no decisions.</returns>
    public static bool Write(string path, IReadOnlyList<RungDecision> decisions, Func<int, string> label)
    {
        if (decisions.Count == 0)
        {
            File.Delete(path);
            return false;
        }
        using var writer = new StreamWriter(path);
        writer.WriteLine("trial,label,rung,rung_images,decision,best,paired_images,difference,low,high,confidence,objective,evidence");
        foreach (var d in decisions)
            writer.WriteLine(CsvText.Row([CsvText.Number(d.Trial), label(d.Trial), CsvText.Number(d.Rung), CsvText.Number(d.RungImages),
                d.Stopped ? "stopped" : "went on", label(d.Best), CsvText.Number(d.Images), CsvText.Number(d.Difference), CsvText.Number(d.Low), CsvText.Number(d.High),
                CsvText.Number(d.Confidence), d.Objective, d.Describe(label)]));
        return true;
    }
}
