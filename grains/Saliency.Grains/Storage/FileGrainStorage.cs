using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;
using Saliency.Grains.Telemetry;

namespace Saliency.Grains.Storage;

/// <summary>
/// Grain state as one file per grain under a directory: the embedded default, so a sweep survives a
/// restart with nothing installed. Each write goes to a temporary file first and then replaces the
/// old one, so a crash leaves either the old state or the new, never half of one.
/// </summary>
internal sealed class FileGrainStorage(string root, Serializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
        grainState.State = serializer.Deserialize<T>(File.ReadAllBytes(path));
        grainState.ETag = File.GetLastWriteTimeUtc(path).Ticks.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        var bytes = serializer.SerializeToArray(grainState.State);
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        SweepTelemetry.GrainStateWritten.Add(bytes.Length, new KeyValuePair<string, object?>("saliency.state", stateName));
        File.Move(temporary, path, overwrite: true);
        grainState.ETag = File.GetLastWriteTimeUtc(path).Ticks.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        File.Delete(PathOf(stateName, grainId));
        grainState.RecordExists = false;
        grainState.ETag = null;
        return Task.CompletedTask;
    }

    string PathOf(string stateName, GrainId grainId)
    {
        var name = string.Concat(grainId.ToString().Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return Path.Combine(root, stateName, name + ".state");
    }
}
