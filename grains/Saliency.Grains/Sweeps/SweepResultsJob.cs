using Microsoft.Extensions.Logging;
using Saliency.Attribution.Data;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// A sweep's result files as it stands: the report is taken from the session on the coordinator's turn, and the files are
/// written from the result log on the thread pool, with the first images for the comparison sheet where they can be read.
/// </summary>
internal static class SweepResultsJob
{
    static SweepReport Report(SweepSession session) => new()
    {
        RunDirectory = session.State.RunDirectory,
        SweepName = session.Plan.Spec.Name,
        Trials = session.Plan.Spec.Trials,
        Summaries = session.Engine.Aggregates.Select(a => a.Summary()).ToArray(),
        Metrics = MetricNames.ColumnsFor(session.Plan.Spec),
        Seed = session.Plan.Spec.Seed,
        Sanity = session.Plan.Spec.Sanity,
        Objective = session.Plan.Spec.Objective,
        Decisions = session.Engine.Decisions.ToArray(),
    };

    /// <summary>Takes the report at once, on the caller's turn, and writes the files on the thread pool.</summary>
    public static Task WriteAsync(SweepSession session, ILogger logger)
    {
        var report = Report(session);
        var (spec, logPath) = (session.Plan.Spec, session.Log.Path);
        return Task.Run(() => SweepResultsWriter.WriteAsync(report with { Images = SampleImages(spec, session.Roots, logger) }, ResultLog.Read(logPath)));
    }

    static ImageSet? SampleImages(SweepSpec spec, AllowedRoots allowed, ILogger logger)
    {
        try
        {
            var images = spec.OpenImages(allowed);
            return images.Read(0, Math.Min(images.Count, Math.Max(spec.Maps, 1)), BadImagePolicy.Skip).Images;
        }
        catch (Exception error)
        {
            logger.LogInformation("sweep {Sweep}: no images for the comparison sheet ({Reason})", spec.Name, error.Message);
            return null;
        }
    }
}
