using System.IO.Compression;

namespace Saliency.Attribution.Data;

/// <summary>Reads the IDX format of MNIST-style data sets (plain or gzip), checking magic numbers and sizes.</summary>
public static class IdxFile
{
    const int UnsignedByteImages = 0x00000803;
    const int UnsignedByteLabels = 0x00000801;

    public sealed record Images(int Count, int Rows, int Columns, byte[] Pixels);

    public static Images ReadImages(string path)
    {
        var bytes = ReadAll(path);
        RequireHeader(path, bytes, 16, UnsignedByteImages, "images (3-dimensional, unsigned byte)");
        int count = BigEndian(bytes, 4), rows = BigEndian(bytes, 8), columns = BigEndian(bytes, 12);
        var expected = (long)count * rows * columns;
        RequireLength(path, bytes, 16, expected, $"{count} images of {rows}×{columns}");
        return new Images(count, rows, columns, bytes.AsSpan(16, (int)expected).ToArray());
    }

    public static byte[] ReadLabels(string path)
    {
        var bytes = ReadAll(path);
        RequireHeader(path, bytes, 8, UnsignedByteLabels, "labels (1-dimensional, unsigned byte)");
        var count = BigEndian(bytes, 4);
        RequireLength(path, bytes, 8, count, $"{count} labels");
        return bytes.AsSpan(8, count).ToArray();
    }

    static byte[] ReadAll(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        using var file = File.OpenRead(path);
        Span<byte> signature = stackalloc byte[2];
        var isGzip = file.Read(signature) == 2 && signature[0] == 0x1f && signature[1] == 0x8b;
        file.Position = 0;
        using var stream = isGzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        using var buffer = new MemoryStream();
        try { stream.CopyTo(buffer); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: corrupt gzip stream ({e.Message})", e); }
        return buffer.ToArray();
    }

    static void RequireHeader(string path, byte[] bytes, int headerLength, int magic, string what)
    {
        if (bytes.Length < headerLength)
            throw new InvalidDataException($"{path}: truncated header: {bytes.Length} bytes, expected at least {headerLength} for IDX {what}");
        var found = BigEndian(bytes, 0);
        if (found != magic)
            throw new InvalidDataException($"{path}: magic number 0x{found:X8}, expected 0x{magic:X8} for IDX {what}");
    }

    static void RequireLength(string path, byte[] bytes, int headerLength, long expected, string what)
    {
        if (bytes.Length - headerLength < expected)
            throw new InvalidDataException($"{path}: truncated: {bytes.Length - headerLength} bytes of data, expected {expected} for {what}");
    }

    static int BigEndian(byte[] bytes, int offset) =>
        (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
}
