using System.Text.Json;
using System.Text.Json.Serialization;
using Saliency.Attribution.Results;
using Saliency.Attribution.Sweeps.Engine;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// The append-only record of a sweep's work items that failed for good: <c>failures.jsonl</c> in the run directory, one
/// line per item with its reason, beside the result log and kept the same way (<see cref="JsonLinesFile"/>). It is the
/// record of what failed, as the result log is of what is done: a restarted coordinator reads both back, so a failed item
/// is not sent again. The grain state keeps only a count and the first few, so storing it costs the same at the
/// thousandth failure as at the first.
/// </summary>
internal sealed class FailureLog : IDisposable
{
    public const string FileName = "failures.jsonl";

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    readonly JsonLinesFile file;

    public FailureLog(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        file = new JsonLinesFile(PathIn(runDirectory));
    }

    public string Path => file.Path;

    public static string PathIn(string runDirectory) => System.IO.Path.Combine(runDirectory, FileName);

    /// <summary>Writes one line for the failure and hands it to the operating system; durable on disk at the next <see cref="Sync"/>.</summary>
    /// <exception cref="IOException">The line could not be written (a full disk); the log is as it was.</exception>
    public void Append(FailedWorkItem failure, DateTimeOffset? failedAt = null) => file.Append(JsonSerializer.SerializeToUtf8Bytes(
        new Line(failedAt ?? DateTimeOffset.UtcNow, failure.Trial, failure.Shard, failure.Part > 0 ? failure.Part : null, failure.Attempts, failure.Reason), Json));

    public void Sync() => file.Sync();

    public void Dispose() => file.Dispose();

    /// <summary>The failures in the log at <paramref name="path"/>, in the order they were logged; none when there is no log.</summary>
    /// <exception cref="InvalidDataException">A line before the last is not a failed work item.</exception>
    public static IEnumerable<FailedWorkItem> Read(string path) => JsonLinesFile.Read(path, "a failed work item", line =>
    {
        var parsed = JsonSerializer.Deserialize<Line>(line, Json) ?? throw new JsonException("the line is null");
        return new FailedWorkItem(parsed.Trial, parsed.Shard, parsed.Attempts, parsed.Reason ?? throw new JsonException("the line has no reason"), parsed.Part ?? 0);
    });

    sealed record Line(
        [property: JsonRequired] DateTimeOffset FailedAt,
        [property: JsonRequired] int Trial,
        [property: JsonRequired] int Shard,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Part,
        [property: JsonRequired] int Attempts,
        [property: JsonRequired] string? Reason);
}
