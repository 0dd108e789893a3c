using System.Text;
using System.Text.Json;

namespace Saliency.Attribution.Results;

/// <summary>
/// An append-only file of JSON lines, the form of a run directory's logs (<see cref="ResultLog"/>, and the coordinator's
/// log of failed work items). Each line is handed to the operating system before <see cref="Append"/> returns, so a
/// process that dies loses nothing appended; lines reach the disk itself at each <see cref="Sync"/>. A write that fails
/// is cut back off the file, and a last line cut short by a crash is skipped on reading and dropped on opening, so the
/// next line starts on a line of its own. What a line holds is the caller's.
/// </summary>
public sealed class JsonLinesFile : IDisposable
{
    readonly FileStream file;
    readonly Lock writing = new();

    public JsonLinesFile(string path)
    {
        Path = path;
        // Unbuffered, so a write that fails leaves nothing behind in the stream to be written later.
        file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        DropUnfinishedLine();
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="json"/> and a newline, and hands them to the operating system.</summary>
    /// <exception cref="IOException">The line could not be written; the file is as it was before.</exception>
    public void Append(byte[] json)
    {
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        lock (writing)
        {
            var end = file.Position;
            try { file.Write(line); }
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

    /// <summary>Makes every line appended so far durable on disk.</summary>
    public void Sync()
    {
        lock (writing) file.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        Sync();
        file.Dispose();
    }

    /// <summary>
    /// The lines of the file at <paramref name="path"/>, parsed one at a time and in order; none when there is no file.
    /// A last line that does not parse is a write cut short by a crash and is skipped; any other line that does not parse
    /// is corruption, reported with the path, the line number and <paramref name="what"/> a line should be.
    /// </summary>
    /// <param name="parse">Parses one line; throws <see cref="JsonException"/> for a line that is not what it should be.</param>
    /// <exception cref="InvalidDataException">A line before the last does not parse.</exception>
    public static IEnumerable<T> Read<T>(string path, string what, Func<string, T> parse)
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
                throw new InvalidDataException($"{path}: line {earlier.Number} is not {what} ({earlier.Message})");
            var parsed = false;
            T value = default!;
            try
            {
                value = parse(line);
                parsed = true;
            }
            catch (JsonException e)
            {
                unreadable = (number, e.Message);
            }
            if (parsed) yield return value;
        }
    }

    /// <summary>Cuts the file back to just after its last newline.</summary>
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
}
