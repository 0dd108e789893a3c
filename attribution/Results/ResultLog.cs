using System.Text;
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

    readonly FileStream file;
    readonly Lock writing = new();

    public ResultLog(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        Path = PathIn(runDirectory);
        // Unbuffered, so a write that fails leaves nothing behind in the stream to be written later.
        file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        DropUnfinishedLine();
    }

    public string Path { get; }

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
            outcome.Step > 0 ? outcome.Step : null);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(line, Json);
        Array.Resize(ref bytes, bytes.Length + 1);
        bytes[^1] = (byte)'\n';
        lock (writing)
        {
            var end = file.Position;
            try { file.Write(bytes); }
            catch (IOException)
            {
                try
                {
                    file.SetLength(end);
                    file.Position = end;
                }
                catch (IOException) { }
                throw;
            }
        }
    }

    /// <summary>Makes every line logged so far durable on disk.</summary>
    public void Sync()
    {
        lock (writing) file.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        Sync();
        file.Dispose();
    }

    /// <summary>The outcomes in the log at <paramref name="path"/>, in the order they were logged; none when there is no log.</summary>
    public static IEnumerable<ShardOutcome> Read(string path) => ReadEntries(path).Select(entry => entry.Outcome);

    /// <summary>
    /// The log's entries, read one line at a time. A last line that does not parse is a write cut short
    /// by a crash and is skipped; any other line that does not parse is corruption, reported with the
    /// path and line number.
    /// </summary>
    public static IEnumerable<LoggedShard> ReadEntries(string path)
    {
        if (!File.Exists(path)) yield break;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        (int Number, string Message)? unreadable = null;
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0) continue;
            if (unreadable is { } earlier)
                throw new InvalidDataException($"{path}: line {earlier.Number} is not a shard outcome ({earlier.Message})");
            LoggedShard? entry = null;
            try
            {
                entry = Parse(line);
            }
            catch (JsonException e)
            {
                unreadable = (number, e.Message);
            }
            if (entry is not null) yield return entry;
        }
    }

    static LoggedShard Parse(string line)
    {
        var parsed = JsonSerializer.Deserialize<LogLine>(line, Json) ?? throw new JsonException("the line is null");
        if (parsed.Images is null) throw new JsonException("the line has no images");
        var outcome = new ShardOutcome(parsed.Trial, parsed.Shard, parsed.Images, Array.Empty<SampledMap>(), parsed.Seconds, parsed.Skipped ?? [],
            parsed.Start, parsed.Count, parsed.RandomisedLayers, parsed.Part);
        return new LoggedShard(parsed.LoggedAt, outcome);
    }

    /// <summary>Cuts the file back to just after its last newline, so the next line starts on a line of its own.</summary>
    void DropUnfinishedLine()
    {
        var end = file.Length;
        var buffer = new byte[4096];
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            file.Position = start;
            file.ReadExactly(buffer, 0, (int)(end - start));
            var newline = Array.LastIndexOf(buffer, (byte)'\n', (int)(end - start - 1));
            if (newline >= 0)
            {
                end = start + newline + 1;
                break;
            }
            end = start;
        }
        if (end < file.Length) file.SetLength(end);
        file.Position = end;
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
