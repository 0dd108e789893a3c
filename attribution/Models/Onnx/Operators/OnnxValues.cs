using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>Small pieces of ONNX semantics several operators share: axes, integer inputs read on the host.</summary>
static class OnnxValues
{
    /// <summary>An axis in [-rank, rank) made non-negative; anything else is refused naming the node.</summary>
    public static long Axis(long axis, long rank, OnnxNode node, string what = "axis")
    {
        if (axis < -rank || axis >= rank) throw node.Error($"{what} {axis} is outside [{-rank}, {rank - 1}] for a tensor of rank {rank}");
        return axis < 0 ? axis + rank : axis;
    }

    /// <summary>Integer values given as an input (shapes, pads, axes): from the file when known at load, else read from the tensor.</summary>
    public static long[] Longs(Tensor tensor)
    {
        if (tensor.dtype is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte))
            throw new InvalidDataException($"expected integers, got {tensor.dtype}");
        using var host = tensor.to(ScalarType.Int64, CPU).flatten();
        return host.data<long>().ToArray();
    }

    /// <summary>A scalar input (a clip bound, a pad value) read on the host.</summary>
    public static double Scalar(Tensor tensor)
    {
        if (tensor.numel() != 1) throw new InvalidDataException($"expected a scalar, got a tensor of shape [{string.Join(", ", tensor.shape)}]");
        using var host = tensor.to(ScalarType.Float64, CPU).flatten();
        return host.data<double>()[0];
    }

    /// <summary>Reads an optional integer input: its known value, a reader of its run-time value, or null when left out.</summary>
    public static Func<Tensor?[], long[]?> OptionalLongs(OnnxNode node, IOnnxCompilation model, int index)
    {
        var name = node.Input(index);
        if (name.Length == 0) return _ => null;
        if (model.Known(name) is { } known)
        {
            if (known.IsFloatingPoint) throw node.Error($"input {index + 1} ({OnnxNames.Show(name)}) holds {known.Type}, not integers");
            var values = known.AsLongs();
            return _ => values;
        }
        return inputs => Longs(inputs[index]!);
    }

    public static string Shape(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}]";
}
