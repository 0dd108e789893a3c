using Saliency.Attribution.Models;
using Saliency.Attribution.Sweeps;

namespace Saliency.Grains.Hosting;

/// <summary>
/// The folders a silo reads specs' data and model files from. A path is judged by where it really
/// leads — made absolute, <c>..</c> folded, every symbolic link followed — so neither <c>..</c> nor a
/// link can reach outside. No roots means no restriction (the embedded default on one's own machine).
/// </summary>
public sealed class AllowedRoots(IReadOnlyList<string> roots)
{
    readonly IReadOnlyList<string> resolved = roots.Select(RealPaths.Of).ToArray();

    public bool Restricted => resolved.Count > 0;

    /// <summary>Throws, naming the path and the allowed roots, when <paramref name="path"/> leads outside them.</summary>
    public void Require(string path, string what)
    {
        if (!Restricted) return;
        var real = RealPaths.Of(path);
        if (resolved.Any(root => RealPaths.IsWithin(real, root))) return;
        throw new UnauthorizedAccessException(
            $"{what} '{path}' leads to {real}, outside this silo's allowed roots ({string.Join(", ", resolved)})");
    }

    /// <summary>Checks every path a spec reads: a folder of images and a model file.</summary>
    public void Require(SweepSpec spec)
    {
        if (spec.Selection.Kind == "folder") Require(spec.Selection.Location, "data folder");
        if (!ModelLoader.IsBuiltIn(spec.Model.Reference)) Require(spec.Model.Reference, "model file");
        if (spec.Labels is not null) Require(spec.Labels, "labels file");
    }
}
