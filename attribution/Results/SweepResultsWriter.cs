using Saliency.Attribution.Data;
using Saliency.Attribution.Statistics;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>What the result files of a sweep are written from, beside the stream of its shard outcomes.</summary>
public sealed record SweepReport
{
    public required string RunDirectory { get; init; }
    public required string SweepName { get; init; }
    public required IReadOnlyList<Trial> Trials { get; init; }
    /// <summary>One per trial; a trial without one is reported with no images.</summary>
    public required IReadOnlyList<TrialSummary> Summaries { get; init; }
    /// <summary>The metrics shown in summary.csv and the report; the objective's metric is always among them.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = MetricNames.All;
    public SweepObjective Objective { get; init; } = SweepObjective.InsertionMinusDeletion;
    /// <summary>The sweep's images, for the comparison sheet; without them it is not drawn.</summary>
    public ImageSet? Images { get; init; }
    public int RowGroupSize { get; init; } = ImageTable.DefaultRowGroupSize;
    /// <summary>Seeds the bootstrap of the rank agreement, so the same results give the same intervals.</summary>
    public long Seed { get; init; }
    /// <summary>The sanity checks the sweep ran, by their spec names.</summary>
    public IReadOnlyList<string> Sanity { get; init; } = [];
    /// <summary>A halving schedule's rung decisions, in the order made; none under a grid.</summary>
    public IReadOnlyList<RungDecision> Decisions { get; init; } = [];
}

/// <summary>
/// The files written, relative to the run directory; plots and the comparison sheet only where there was data, and the
/// list of skipped images only where <c>on_bad_image: skip</c> left any out.
/// </summary>
public sealed record SweepResultFiles(
    string Summary, string ImagesCsv, string ImagesParquet, IReadOnlyList<string> Plots, string? Comparison, string Report, long ImageRows,
    string? Skipped = null, int SkippedImages = 0);

/// <summary>
/// Writes a sweep's result files into its run directory: summary.csv, images.csv, images.parquet,
/// verdict.txt, paired.csv, agreement.csv, plots/*.png, comparison.png, report.html, where the sweep ran sanity checks sanity.csv,
/// under a halving schedule schedule.csv, and, where images were skipped, skipped.csv. Writing again replaces them; the result log and the
/// saved maps, which they are written from, are only read.
/// </summary>
public static class SweepResultsWriter
{
    public const string SkippedFileName = "skipped.csv";

    /// <summary>
    /// <paramref name="outcomes"/> is read one outcome at a time (as <see cref="ResultLog.Read"/> streams it); where the
    /// sweep ran the model-randomisation check it is read twice: first for the steps of the cascade, which are work items
    /// of their own, then for the trials' own outcomes, each image with its cascade joined. An outcome of a shard (or part of one) already seen
    /// is skipped, as the aggregates skip it.
    /// </summary>
    public static async Task<SweepResultFiles> WriteAsync(SweepReport report, IEnumerable<ShardOutcome> outcomes, CancellationToken cancellation = default)
    {
        var metrics = MetricsShown(report);
        var trials = report.Trials.ToDictionary(trial => trial.Index);
        var stops = ScheduleTable.Stops(report.Decisions, index => trials[index].Label);
        // A trial the schedule stopped rests on fewer images: it ranks after every trial that went the whole way.
        var everyTrial = SummariesOfEveryTrial(report, trials).ToList();
        IReadOnlyList<TrialSummary> ranked = [.. report.Objective.Rank(everyTrial.Where(s => !stops.ContainsKey(s.Trial.Index))),
            .. report.Objective.Rank(everyTrial.Where(s => stops.ContainsKey(s.Trial.Index)))];
        var directory = report.RunDirectory;
        Directory.CreateDirectory(directory);

        var comparison = report.Images is null ? null : SampledComparison.Choose(directory, ranked, report.Images);
        var captions = new Dictionary<(int Trial, int Key), ImageOutcome>();
        // Every trial of a shard reads the same files, so an image is skipped by all of them or by none.
        var skipped = new SortedDictionary<int, SkippedImage>();
        var rankedMetrics = metrics.Where(m => MetricNames.HigherIsBetter(m) is not null).ToList();
        var values = new PerImageValues();
        var cascade = new SanityTable();
        long rows;
        await using (var table = await ImageTable.CreateAsync(
            Path.Combine(directory, ImageTable.CsvFileName), Path.Combine(directory, ImageTable.ParquetFileName), report.RowGroupSize,
            metrics.Where(MetricNames.IsOtherSubstrate).ToList(), cancellation))
        {
            var (steps, layers) = report.Sanity.Contains(Sanity.SanityChecks.ModelRandomisationName)
                ? CascadeSteps(outcomes, cancellation) : ([], []);
            var seen = new HashSet<(int Trial, int Shard, int Start)>();
            foreach (var outcome in outcomes)
            {
                cancellation.ThrowIfCancellationRequested();
                if (outcome.PartIndex != 0 || !seen.Add((outcome.Trial, outcome.Shard, outcome.Start ?? -1))) continue;
                if (!trials.TryGetValue(outcome.Trial, out var trial))
                    throw new InvalidDataException($"an outcome of trial {outcome.Trial} is not of this sweep's {trials.Count} trials");
                foreach (var image in outcome.Skipped ?? []) skipped.TryAdd(image.Key, image);
                foreach (var logged in outcome.Images)
                {
                    var image = steps.TryGetValue((trial.Index, logged.Key), out var rhos) && !rhos.Any(double.IsNaN)
                        ? logged with { ModelRandomisation = rhos } : logged;
                    await table.AddAsync(trial, image, cancellation);
                    cascade.Add(trial.Index, outcome.RandomisedLayers ?? layers.GetValueOrDefault(trial.Index), image);
                    foreach (var metric in rankedMetrics)
                        if (MetricNames.ValueOf(metric, image) is { } value) values.Add(metric, trial.Index, image.Key, value);
                    if (comparison?.Shows(trial.Index, image.Key) == true) captions[(trial.Index, image.Key)] = image;
                }
            }
            rows = table.Rows;
        }

        var verdict = SweepVerdict.Build(ranked, report.Objective, metrics, values, report.Seed, report.Sanity, stops);
        var scheduleFile = ScheduleTable.Write(Path.Combine(directory, ScheduleTable.FileName), report.Decisions, index => trials[index].Label)
            ? ScheduleTable.FileName : null;
        var sanityFile = cascade.Write(Path.Combine(directory, SanityTable.FileName), ranked) ? SanityTable.FileName : null;
        SummaryTable.Write(Path.Combine(directory, SummaryTable.FileName), ranked, metrics, verdict);
        VerdictTables.WritePaired(Path.Combine(directory, VerdictTables.PairedFileName), verdict, ranked);
        VerdictTables.WriteAgreement(Path.Combine(directory, VerdictTables.AgreementFileName), verdict);
        verdict.WriteText(Path.Combine(directory, SweepVerdict.FileName), ranked);
        var plots = SweepPlots.Write(directory, ranked, report.Objective, verdict);
        var comparisonPath = Path.Combine(directory, SampledComparison.FileName);
        if (comparison is not null) comparison.Build(directory, report.Images!, captions).SavePng(comparisonPath);
        else File.Delete(comparisonPath);
        var comparisonFile = comparison is null ? null : SampledComparison.FileName;

        var skippedPath = Path.Combine(directory, SkippedFileName);
        if (skipped.Count > 0) WriteSkipped(skippedPath, skipped.Values);
        else File.Delete(skippedPath);
        var skippedFile = skipped.Count > 0 ? SkippedFileName : null;

        string[] tables = [SummaryTable.FileName, SweepVerdict.FileName, VerdictTables.PairedFileName, VerdictTables.AgreementFileName,
            .. sanityFile is null ? [] : new[] { sanityFile }, .. scheduleFile is null ? [] : new[] { scheduleFile },
            ImageTable.CsvFileName, ImageTable.ParquetFileName, .. skippedFile is null ? [] : new[] { skippedFile }];
        HtmlReport.Write(Path.Combine(directory, HtmlReport.FileName), report.SweepName, report.Objective, ranked, metrics, plots, comparisonFile, tables, verdict);
        return new SweepResultFiles(SummaryTable.FileName, ImageTable.CsvFileName, ImageTable.ParquetFileName, plots, comparisonFile, HtmlReport.FileName, rows,
            skippedFile, skipped.Count);
    }

    /// <summary>Each (trial, image)'s ρ at every step of the cascade, NaN at a step not logged, and each trial's cascade.</summary>
    static (Dictionary<(int Trial, int Key), double[]> Steps, Dictionary<int, IReadOnlyList<string>> Layers) CascadeSteps(
        IEnumerable<ShardOutcome> outcomes, CancellationToken cancellation)
    {
        var steps = new Dictionary<(int Trial, int Key), double[]>();
        var layers = new Dictionary<int, IReadOnlyList<string>>();
        var seen = new HashSet<(int Trial, int Shard, int Start, int Step)>();
        foreach (var outcome in outcomes)
        {
            cancellation.ThrowIfCancellationRequested();
            if (outcome.PartIndex == 0 || outcome.RandomisedLayers is not { Count: > 0 } cascade || outcome.PartIndex > cascade.Count
                || !seen.Add((outcome.Trial, outcome.Shard, outcome.Start ?? -1, outcome.PartIndex))) continue;
            layers.TryAdd(outcome.Trial, cascade);
            foreach (var image in outcome.Images)
            {
                if (image.ModelRandomisation is not [var rho]) continue;
                if (!steps.TryGetValue((outcome.Trial, image.Key), out var rhos))
                {
                    steps[(outcome.Trial, image.Key)] = rhos = new double[cascade.Count];
                    Array.Fill(rhos, double.NaN);
                }
                rhos[outcome.PartIndex - 1] = rho;
            }
        }
        return (steps, layers);
    }

    static void WriteSkipped(string path, IEnumerable<SkippedImage> images)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("key,file,reason");
        foreach (var image in images)
            writer.WriteLine(CsvText.Row([CsvText.Number(image.Key), image.File, image.Reason]));
    }

    static IReadOnlyList<string> MetricsShown(SweepReport report)
    {
        MetricNames.Validate(report.Metrics);
        var metrics = report.Metrics.Distinct().ToList();
        if (!metrics.Contains(report.Objective.Metric)) metrics.Insert(0, report.Objective.Metric);
        return metrics;
    }

    static IEnumerable<TrialSummary> SummariesOfEveryTrial(SweepReport report, IReadOnlyDictionary<int, Trial> trials)
    {
        var byTrial = new Dictionary<int, TrialSummary>();
        foreach (var summary in report.Summaries)
        {
            if (!trials.ContainsKey(summary.Trial.Index))
                throw new ArgumentException($"a summary of trial {summary.Trial.Index}, which the sweep does not have");
            if (!byTrial.TryAdd(summary.Trial.Index, summary))
                throw new ArgumentException($"two summaries of trial {summary.Trial.Index}");
        }
        return report.Trials.Select(trial => byTrial.TryGetValue(trial.Index, out var summary) ? summary : new TrialAggregate(trial).Summary());
    }
}
