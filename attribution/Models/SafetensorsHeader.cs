using System.Text.Json;

namespace Saliency.Attribution.Models;

/// <summary>
/// Checks a safetensors file's header before anything is loaded: every tensor's shape times its element size is exactly
/// the span of bytes it claims, and every span lies inside the file. A header may otherwise declare a tensor far larger
/// than the file, and a loader would allocate it.
/// </summary>
public static class SafetensorsHeader
{
    /// <summary>The largest header read; real ones are a few KiB to a few MiB.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    static readonly Dictionary<string, int> ElementBytes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8,
        ["I64"] = 8,
        ["U64"] = 8,
        ["F32"] = 4,
        ["I32"] = 4,
        ["U32"] = 4,
        ["F16"] = 2,
        ["BF16"] = 2,
        ["I16"] = 2,
        ["U16"] = 2,
        ["I8"] = 1,
        ["U8"] = 1,
        ["BOOL"] = 1,
        ["F8_E4M3"] = 1,
        ["F8_E5M2"] = 1,
    };

    /// <param name="file">The file's bytes, as <see cref="ModelFile.Read"/> gave them; the loader takes the same.</param>
    /// <param name="path">How errors name the file.</param>
    /// <exception cref="InvalidDataException">The header is unreadable, or a tensor's declared size disagrees with its bytes.</exception>
    public static void Require(byte[] file, string path)
    {
        if (file.Length < 8) throw Bad(path, "it is shorter than its 8-byte header length");
        var headerLength = BitConverter.ToInt64(file, 0);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerLength > file.Length - 8)
            throw Bad(path, $"its header length, {headerLength} bytes, does not fit the file's {file.Length} bytes");
        var data = file.Length - 8 - headerLength;
        JsonDocument json;
        try { json = JsonDocument.Parse(file.AsMemory(8, (int)headerLength)); }
        catch (JsonException e) { throw Bad(path, $"its header is {JsonErrors.Where(e)}"); }
        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "its header is not a JSON object");
            foreach (var entry in json.RootElement.EnumerateObject().Where(e => e.Name != "__metadata__"))
                RequireTensor(path, entry.Value, data);
        }
    }

    static void RequireTensor(string path, JsonElement tensor, long data)
    {
        if (tensor.ValueKind != JsonValueKind.Object
            || !tensor.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String || !ElementBytes.TryGetValue(dtype.GetString()!, out var size)
            || !tensor.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !tensor.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Bad(path, "a tensor of its header lacks a known dtype, a shape or two data offsets");
        var bytes = (long)size;
        foreach (var dimension in shape.EnumerateArray())
        {
            if (!dimension.TryGetInt64(out var d) || d < 0 || (d > 0 && bytes > data / d)) throw Bad(path, "a tensor of its header declares more elements than the file holds");
            bytes *= d;
        }
        if (!offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin || end > data)
            throw Bad(path, "a tensor of its header claims bytes outside the file");
        if (end - begin != bytes) throw Bad(path, $"a tensor of its header declares {bytes} bytes and stores {end - begin}");
    }

    static InvalidDataException Bad(string path, string why) => new($"model file {path} is not a valid safetensors file: {why}");
}
