using Microsoft.Extensions.Logging;
using Saliency.Attribution.Data;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// A sweep's result files as it stands: the report is taken from the ledger on the coordinator's turn, and the files are
/// written from the result log on the thread pool, with the first images for the comparison sheet where they can be read.
/// </summary>
public static class SweepResultsJob
{
    static SweepReport Report(SweepPlan plan, SweepLedger ledger, string runDirectory) => new()
    {
        RunDirectory = runDirectory,
        SweepName = plan.Spec.Name,
        Trials = plan.Spec.Trials,
        Summaries = ledger.Aggregates.Select(a => a.Summary()).ToArray(),
        Metrics = MetricNames.ColumnsFor(plan.Spec),
        Seed = plan.Spec.Seed,
        Sanity = plan.Spec.Sanity,
        Objective = plan.Spec.Objective,
    };

    /// <summary>Takes the report at once, on the caller's turn, and writes the files on the thread pool.</summary>
    public static Task WriteAsync(SweepPlan plan, SweepLedger ledger, string runDirectory, string logPath, ILogger logger)
    {
        var report = Report(plan, ledger, runDirectory);
        return Task.Run(() => SweepResultsWriter.WriteAsync(report with { Images = SampleImages(plan.Spec, logger) }, ResultLog.Read(logPath)));
    }

    static ImageSet? SampleImages(SweepSpec spec, ILogger logger)
    {
        try
        {
            var images = spec.OpenImages();
            return images.Read(0, Math.Min(images.Count, Math.Max(spec.Maps, 1)), BadImagePolicy.Skip).Images;
        }
        catch (Exception error)
        {
            logger.LogInformation("sweep {Sweep}: no images for the comparison sheet ({Reason})", spec.Name, error.Message);
            return null;
        }
    }
}
