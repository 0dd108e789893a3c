using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;

namespace Saliency.Grains.Hosting;

/// <summary>
/// What this silo lets a spec do, the one set of rules that admission and the workers both apply: read only below its
/// allowed roots, stay within its size limits, take no more steps per image than its limit, and load TorchScript only
/// where it is trusted.
/// </summary>
internal sealed class SpecPolicy(SaliencySiloOptions options)
{
    /// <summary>Where this silo's specs read: what workers and the coordinator open a sweep's files through.</summary>
    public AllowedRoots Roots { get; } = new(options.ReadableRoots);

    /// <exception cref="UnauthorizedAccessException">The spec reads outside the allowed roots, or names TorchScript on a silo that refuses it.</exception>
    /// <exception cref="ArgumentException">The sweep is larger than the limits, or a trial takes more steps per image than the limit.</exception>
    public void Require(SweepSpec spec)
    {
        if (spec.Selection.Kind == ImageSelection.Folder) Roots.Require(spec.Selection.Location, "data folder");
        if (!ModelLoader.IsBuiltIn(spec.Model.Reference)) Roots.Require(spec.Model.Reference, "model file");
        if (spec.Labels is not null) Roots.Require(spec.Labels, "labels file");
        if (spec.GroundTruth is { } groundTruth) Roots.Require(groundTruth.Path, groundTruth.PathRole);
        options.Limits.Require(spec);
        StepLimit.Require(spec, options.MaxSteps);
        if (!options.TrustTorchScript && ModelLoader.IsTorchScript(spec.Model.Reference)) throw ModelLoader.TorchScriptRefused(spec.Model.Reference);
    }
}
