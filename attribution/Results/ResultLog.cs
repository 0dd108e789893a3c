using System.Text.Json;
using System.Text.Json.Serialization;
using Saliency.Attribution.Sweeps;

namespace Saliency.Attribution.Results;

/// <summary>A shard outcome as the result log holds it, with the time it was logged. Its maps are not in the log.</summary>
public sealed record LoggedShard(DateTimeOffset LoggedAt, ShardOutcome Outcome);

/// <summary>
/// The append-only record of a sweep's shard outcomes: <c>results.jsonl</c> in the run directory, one
/// JSON object per line, each handed to the operating system before <see cref="Append"/> returns, so a
/// process that dies loses nothing it logged. Lines reach the disk itself at each <see cref="Sync"/>:
/// syncing every line would cap a sweep at the disk's sync rate, and a line lost to a machine crash
/// only means its work item is computed again, because the log is the record of what is done.
/// A crash can only leave the last line cut short; reading skips such a line, and opening the log for
/// appending again drops it. Sampled maps are kept apart, by <see cref="MapStore"/>.
/// </summary>
public sealed class ResultLog : IDisposable
{
    public const string FileName = "results.jsonl";

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    readonly JsonLinesFile file;

    public ResultLog(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        file = new JsonLinesFile(PathIn(runDirectory));
    }

    public string Path => file.Path;

    public static string PathIn(string runDirectory) => System.IO.Path.Combine(runDirectory, FileName);

    /// <summary>
    /// Writes one line for the outcome (its maps left out) and hands it to the operating system. A write
    /// that fails (a full disk) is cut back off the file before the error goes on, so the log stays whole
    /// and the outcome is simply not in it.
    /// </summary>
    /// <exception cref="IOException">The line could not be written.</exception>
    public void Append(ShardOutcome outcome, DateTimeOffset? loggedAt = null)
    {
        var line = new LogLine(loggedAt ?? DateTimeOffset.UtcNow, outcome.Trial, outcome.Shard, outcome.Seconds, outcome.Images,
            outcome.Skipped is { Count: > 0 } skipped ? skipped : null, outcome.Start, outcome.Count, outcome.RandomisedLayers,
            outcome.PartIndex > 0 ? outcome.PartIndex : null);
        file.Append(JsonSerializer.SerializeToUtf8Bytes(line, Json));
    }

    /// <summary>Makes every line logged so far durable on disk.</summary>
    public void Sync() => file.Sync();

    public void Dispose() => file.Dispose();

    /// <summary>The outcomes in the log at <paramref name="path"/>, in the order they were logged; none when there is no log.</summary>
    public static IEnumerable<ShardOutcome> Read(string path) => ReadEntries(path).Select(entry => entry.Outcome);

    /// <summary>
    /// The log's entries, read one line at a time. A last line that does not parse is a write cut short
    /// by a crash and is skipped; any other line that does not parse is corruption, reported with the
    /// path and line number.
    /// </summary>
    public static IEnumerable<LoggedShard> ReadEntries(string path) => JsonLinesFile.Read(path, "a shard outcome", Parse);

    /// <summary>One line of the log, as <see cref="ReadEntries"/> reads it; for a reader that follows the log as it grows.</summary>
    /// <exception cref="JsonException">The line is not a shard outcome.</exception>
    public static LoggedShard Parse(string line)
    {
        var parsed = JsonSerializer.Deserialize<LogLine>(line, Json) ?? throw new JsonException("the line is null");
        if (parsed.Images is null) throw new JsonException("the line has no images");
        var outcome = new ShardOutcome(parsed.Trial, parsed.Shard, parsed.Images, Array.Empty<SampledMap>(), parsed.Seconds, parsed.Skipped ?? [],
            parsed.Start, parsed.Count, parsed.RandomisedLayers, parsed.Part);
        return new LoggedShard(parsed.LoggedAt, outcome);
    }

    sealed record LogLine(
        [property: JsonRequired] DateTimeOffset LoggedAt,
        [property: JsonRequired] int Trial,
        [property: JsonRequired] int Shard,
        [property: JsonRequired] double Seconds,
        [property: JsonRequired] IReadOnlyList<ImageOutcome> Images,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Data.SkippedImage>? Skipped = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Start = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Count = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? RandomisedLayers = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Part = null);
}
