using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx;

/// <summary>
/// A tensor stored in an ONNX file (an initialiser or a constant), held on the host as little-endian bytes whose
/// length the reader has checked against the declared shape.
/// </summary>
sealed record OnnxTensorData(string Name, ScalarType Type, long[] Shape, byte[] Bytes)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public bool IsFloatingPoint => Type is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;

    public Tensor ToTensor()
    {
        var tensor = empty(Shape, Type);
        if (Bytes.Length > 0) tensor.bytes = Bytes;
        return tensor;
    }

    /// <summary>The values of an integer tensor (shapes, axes, indices), known when the model loads.</summary>
    public long[] AsLongs()
    {
        var size = Type switch
        {
            ScalarType.Int64 => 8,
            ScalarType.Int32 => 4,
            ScalarType.Int16 => 2,
            ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
            _ => throw new InvalidOperationException($"tensor {OnnxNames.Show(Name)} holds {Type}, not integers"),
        };
        var values = new long[ElementCount];
        for (var i = 0; i < values.Length; i++)
        {
            var at = Bytes.AsSpan(i * size, size);
            values[i] = Type switch
            {
                ScalarType.Int64 => BitConverter.ToInt64(at),
                ScalarType.Int32 => BitConverter.ToInt32(at),
                ScalarType.Int16 => BitConverter.ToInt16(at),
                ScalarType.Int8 => (sbyte)at[0],
                _ => at[0],
            };
        }
        return values;
    }

    /// <summary>The values of a floating-point tensor, known when the model loads.</summary>
    public double[] AsDoubles()
    {
        using var tensor = ToTensor();
        using var doubles = tensor.to(ScalarType.Float64);
        return doubles.data<double>().ToArray();
    }
}
