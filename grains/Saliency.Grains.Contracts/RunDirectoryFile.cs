namespace Saliency.Grains;

/// <summary>
/// The file in a run directory that names its sweep, so <c>saliency run --resume DIR</c> finds it: written by the
/// coordinator, read by the client, so it lives with the contracts both reference.
/// </summary>
public sealed record RunDirectoryFile(string SweepId, string SweepName, string SpecFile)
{
    public const string FileName = "sweep.json";
}
