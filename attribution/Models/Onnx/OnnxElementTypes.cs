using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx;

/// <summary>ONNX's element types (TensorProto.DataType) that become torch tensors, with their sizes; the rest are refused.</summary>
static class OnnxElementTypes
{
    static readonly Dictionary<int, (string Name, ScalarType Type, int Bytes)> Known = new()
    {
        [1] = ("FLOAT", ScalarType.Float32, 4),
        [2] = ("UINT8", ScalarType.Byte, 1),
        [3] = ("INT8", ScalarType.Int8, 1),
        [5] = ("INT16", ScalarType.Int16, 2),
        [6] = ("INT32", ScalarType.Int32, 4),
        [7] = ("INT64", ScalarType.Int64, 8),
        [9] = ("BOOL", ScalarType.Bool, 1),
        [10] = ("FLOAT16", ScalarType.Float16, 2),
        [11] = ("DOUBLE", ScalarType.Float64, 8),
        [16] = ("BFLOAT16", ScalarType.BFloat16, 2),
    };

    static readonly Dictionary<int, string> Refused = new()
    {
        [0] = "UNDEFINED",
        [4] = "UINT16",
        [8] = "STRING",
        [12] = "UINT32",
        [13] = "UINT64",
        [14] = "COMPLEX64",
        [15] = "COMPLEX128",
    };

    public static bool TryGet(int onnxType, out ScalarType type, out int bytes)
    {
        var found = Known.TryGetValue(onnxType, out var entry);
        (type, bytes) = (entry.Type, entry.Bytes);
        return found;
    }

    public static string Name(int onnxType) =>
        Known.TryGetValue(onnxType, out var entry) ? entry.Name
        : Refused.TryGetValue(onnxType, out var name) ? name
        : $"type {onnxType}";

    /// <summary>The element types a model may use, for messages.</summary>
    public static string Supported => string.Join(", ", Known.Values.Select(v => v.Name));
}
