using System.Diagnostics;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;
using Saliency.Attribution.Sweeps.Engine;
using Saliency.Grains.Contracts;
using Saliency.Grains.Hosting;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// What a submission must pass before a sweep exists: a spec that parses and meets this silo's <see cref="SpecPolicy"/>,
/// a model that is there (where this silo also computes), and images to sweep. A sweep that passes
/// gets its run directory and its first state.
/// </summary>
internal static class SweepAdmission
{
    public static async Task<(SweepState State, SweepPlan Plan)> Admit(string sweepId, SweepSubmission submission, SaliencySiloOptions options)
    {
        var spec = Parse(submission);
        var policy = new SpecPolicy(options);
        policy.Require(spec);
        // A silo that also computes sees the files its workers load: a missing model fails the submission, not every item.
        if (options.Role.HostsWorkers()) ModelLoader.RequireFound(spec.Model.Reference);
        var imageCount = await Task.Run(() => CountImages(spec, policy.Roots));
        var plan = new SweepPlan(spec, imageCount);
        options.Limits.Require(spec, imageCount, (long)plan.TrialCount * plan.ShardCount * plan.PartCount);
        var runDirectory = new RunDirectories(options.ArtifactRoot).Create(sweepId);
        await new RunDirectoryFile(sweepId, spec.Name, submission.SpecFile).Create(runDirectory, submission.SpecText);
        var state = new SweepState
        {
            SweepId = sweepId,
            Name = spec.Name,
            SpecText = submission.SpecText,
            SpecFile = submission.SpecFile,
            RunDirectory = runDirectory,
            Status = SweepStatus.Running,
            Submitted = DateTimeOffset.UtcNow,
            TraceParent = Activity.Current?.Id,
            ImageCount = imageCount,
        };
        return (state, plan);
    }

    /// <summary>The name of the sweep a submission asks for, which its id and run directory are made of; the spec is parsed here, once for the silo.</summary>
    /// <exception cref="SweepSpecException">The spec is not valid; the message names the field.</exception>
    public static string NameOf(SweepSubmission submission) => Parse(submission).Name;

    /// <summary>Parsed once in this process (<see cref="ParsedSpecs"/>): the directory's asking for the name and the admission share it.</summary>
    static SweepSpec Parse(SweepSubmission submission) => ParsedSpecs.Parse(submission.SpecText, submission.SpecFile);

    /// <summary>Lists the files; no image is decoded here.</summary>
    /// <exception cref="ArgumentException">The data selects no images.</exception>
    public static int CountImages(SweepSpec spec, AllowedRoots allowed)
    {
        var count = spec.OpenImages(allowed).Count;
        if (count == 0) throw new ArgumentException($"data '{spec.Data}' selects no images");
        return count;
    }
}
