using System.Text;

namespace Saliency.Attribution.Output;

/// <summary>Writes and reads float32 arrays in NumPy's .npy format (version 1.0, little-endian, C order).</summary>
public static class NpyFile
{
    static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 };

    public static void Write(string path, ReadOnlySpan<float> values, IReadOnlyList<int> shape)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != values.Length)
            throw new ArgumentException($"{path}: {values.Length} values do not fill shape ({string.Join(", ", shape)})");
        var dims = shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        // The header is padded with spaces so that the data starts on a 64-byte boundary.
        var unpadded = Magic.Length + 2 + header.Length + 1;
        header += new string(' ', (64 - unpadded % 64) % 64) + "\n";
        using var file = File.Create(path);
        file.Write(Magic);
        file.Write(BitConverter.GetBytes((ushort)header.Length));
        file.Write(Encoding.ASCII.GetBytes(header));
        file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
    }

    public static (float[] Values, int[] Shape) Read(string path)
    {
        var (bytes, start, type, shape) = Open(path);
        if (type != "<f4")
            throw new InvalidDataException($"{path}: only little-endian float32 arrays in C order are read here, got '{type}'");
        var values = new float[(bytes.Length - start) / sizeof(float)];
        Buffer.BlockCopy(bytes, start, values, 0, values.Length * sizeof(float));
        return (values, shape);
    }

    /// <summary>Reads a float64 or float32 array as doubles: reference values kept at full precision.</summary>
    public static (double[] Values, int[] Shape) ReadDoubles(string path)
    {
        var (bytes, start, type, shape) = Open(path);
        if (type == "<f4") return (Read(path).Values.Select(v => (double)v).ToArray(), shape);
        if (type != "<f8")
            throw new InvalidDataException($"{path}: only little-endian float64 or float32 arrays in C order are read, got '{type}'");
        var values = new double[(bytes.Length - start) / sizeof(double)];
        Buffer.BlockCopy(bytes, start, values, 0, values.Length * sizeof(double));
        return (values, shape);
    }

    static (byte[] Bytes, int Start, string Type, int[] Shape) Open(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic.AsSpan(0, 6)))
            throw new InvalidDataException($"{path}: not a .npy file");
        var headerLength = BitConverter.ToUInt16(bytes, 8);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        if (header.Contains("'fortran_order': True"))
            throw new InvalidDataException($"{path}: only arrays in C order are read, header {header.Trim()}");
        var typeText = header[(header.IndexOf("'descr': '", StringComparison.Ordinal) + 10)..];
        var shapeText = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
        var shape = shapeText[..shapeText.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(int.Parse).ToArray();
        return (bytes, 10 + headerLength, typeText[..typeText.IndexOf('\'')], shape);
    }
}
