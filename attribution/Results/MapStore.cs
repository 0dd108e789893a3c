using Saliency.Attribution.Output;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>
/// The sampled maps of a sweep, one .npy file of shape [C, H, W] per trial and image key:
/// <c>maps/trial-0003/map_00012.npy</c> under the run directory. Writing the same map again replaces it.
/// </summary>
public static class MapStore
{
    public const string FolderName = "maps";

    public static string TrialDirectory(string runDirectory, int trial) =>
        Path.Combine(runDirectory, FolderName, $"trial-{trial:D4}");

    public static string PathOf(string runDirectory, int trial, int key) =>
        Path.Combine(TrialDirectory(runDirectory, trial), $"map_{key:D5}.npy");

    public static string Write(string runDirectory, int trial, SampledMap map)
    {
        var path = PathOf(runDirectory, trial, map.Key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written aside and moved into place, so a crash never leaves a half-written map under the final name.
        var partial = path + ".partial";
        NpyFile.Write(partial, map.Map, new[] { map.Channels, map.Height, map.Width });
        File.Move(partial, path, overwrite: true);
        return path;
    }

    /// <summary>The map of image <paramref name="key"/> in trial <paramref name="trial"/>; null when none was saved.</summary>
    public static SampledMap? Read(string runDirectory, int trial, int key)
    {
        var path = PathOf(runDirectory, trial, key);
        if (!File.Exists(path)) return null;
        var (values, shape) = NpyFile.Read(path);
        if (shape.Length != 3)
            throw new InvalidDataException($"{path}: a sampled map is shaped [C, H, W], not ({string.Join(", ", shape)})");
        return new SampledMap(key, shape[0], shape[1], shape[2], values);
    }

    /// <summary>The image keys whose maps trial <paramref name="trial"/> saved, in ascending order.</summary>
    public static IReadOnlyList<int> Keys(string runDirectory, int trial)
    {
        var directory = TrialDirectory(runDirectory, trial);
        if (!Directory.Exists(directory)) return Array.Empty<int>();
        return Directory.EnumerateFiles(directory, "map_*.npy")
            .Select(file => Path.GetFileNameWithoutExtension(file)["map_".Length..])
            .Select(text => int.TryParse(text, out var key) ? key : (int?)null)
            .OfType<int>()
            .Order()
            .ToList();
    }
}
