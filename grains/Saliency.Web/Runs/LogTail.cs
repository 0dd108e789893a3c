using System.Text;

namespace Saliency.Web.Runs;

/// <summary>
/// Follows an append-only file of JSON lines as another process writes it: each <see cref="ReadNew"/> returns the whole
/// lines added since the last, with the byte offset each starts at. A last line not yet ended by a newline is left for
/// the next read, so a line the writer is still writing is never taken half.
/// </summary>
public sealed class LogTail(string path)
{
    /// <summary>The longest line taken; a longer one is corruption, not a shard outcome.</summary>
    public const int MaxLineBytes = 64 << 20;

    public string Path { get; } = path;

    /// <summary>Bytes of whole lines read so far: where the next read starts.</summary>
    public long Offset { get; private set; }

    /// <summary>The whole lines added since the last read, in order, each with its starting offset; none when the file is missing.</summary>
    /// <exception cref="InvalidDataException">The file shrank (it is not append-only) or a line is longer than <see cref="MaxLineBytes"/>.</exception>
    public IReadOnlyList<(long Offset, string Line)> ReadNew()
    {
        if (!File.Exists(Path)) return [];
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < Offset) throw new InvalidDataException($"{Path}: the file shrank from {Offset} to {stream.Length} bytes while it was followed");
        if (stream.Length == Offset) return [];
        var available = stream.Length - Offset;
        var lines = new List<(long, string)>();
        stream.Position = Offset;
        var buffer = new byte[(int)Math.Min(available, 1 << 20)];
        var pending = new MemoryStream();
        var lineStart = Offset;
        var position = Offset;
        int read;
        while (position < stream.Length && (read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, stream.Length - position))) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n') continue;
                pending.Write(buffer, start, i - start);
                if (pending.Length > 0) lines.Add((lineStart, Encoding.UTF8.GetString(pending.GetBuffer(), 0, (int)pending.Length)));
                pending.SetLength(0);
                start = i + 1;
                lineStart = position + i + 1;
            }
            pending.Write(buffer, start, read - start);
            if (pending.Length > MaxLineBytes) throw new InvalidDataException($"{Path}: a line at byte {lineStart} is longer than {MaxLineBytes} bytes");
            position += read;
        }
        Offset = lineStart;
        return lines;
    }

    /// <summary>The one line that starts at <paramref name="offset"/> (an offset <see cref="ReadNew"/> gave).</summary>
    public string LineAt(long offset)
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Position = offset;
        var bytes = new MemoryStream();
        int b;
        while ((b = stream.ReadByte()) is not (-1 or '\n'))
        {
            bytes.WriteByte((byte)b);
            if (bytes.Length > MaxLineBytes) throw new InvalidDataException($"{Path}: a line at byte {offset} is longer than {MaxLineBytes} bytes");
        }
        return Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
    }
}
