using Google.Protobuf;
using Onnx;
using Saliency.Attribution.Data;

namespace Saliency.Attribution.Models.Onnx;

/// <summary>
/// Reads an ONNX file (ONNX's <c>ModelProto</c>, parsed by Google.Protobuf from the published <c>onnx.proto</c>) into an
/// <see cref="OnnxGraph"/>. Every tensor's declared size is checked against the bytes it stores and against
/// <see cref="OnnxLimits"/> before anything is allocated for it; external data is read only from files inside the model's
/// own folder. Errors name the file, and a node, tensor or attribute by name, never other content of the file.
/// </summary>
static class OnnxReader
{
    public static OnnxGraph Read(string path, OnnxLimits limits)
    {
        var model = Parse(path, limits);
        if (!model.HasIrVersion || model.IrVersion < 3)
            throw new InvalidDataException($"model file {path}: ONNX IR version {(model.HasIrVersion ? model.IrVersion : 0)} is older than 3, the first with opset imports; re-export the model");
        if (model.Graph is not { } graph)
            throw new InvalidDataException($"model file {path} holds no graph");

        var opsets = new Dictionary<string, long>();
        foreach (var import in model.OpsetImport)
            opsets[import.Domain is "" or "ai.onnx" ? "" : import.Domain] = import.Version;
        if (!opsets.Remove("", out var opset))
            throw new InvalidDataException($"model file {path} imports no opset of the ONNX domain (ai.onnx)");

        var tensors = new TensorReader(path, limits);
        var initialisers = new Dictionary<string, OnnxTensorData>(StringComparer.Ordinal);
        foreach (var initialiser in graph.Initializer)
        {
            var data = tensors.Read(initialiser, $"initialiser {OnnxNames.Show(initialiser.Name)}");
            if (!initialisers.TryAdd(initialiser.Name, data))
                throw new InvalidDataException($"model file {path}: two initialisers are named {OnnxNames.Show(initialiser.Name)}");
        }
        if (graph.SparseInitializer.Count > 0)
            throw new InvalidDataException($"model file {path}: sparse initialisers are not supported");
        if (graph.Node.Count > limits.MaxNodes)
            throw new InvalidDataException($"model file {path} has {graph.Node.Count} nodes, above the limit of {limits.MaxNodes}");

        var nodes = graph.Node.Select((node, index) => ReadNode(path, index, node, tensors)).ToArray();
        // Before IR version 4 every initialiser is also listed as a graph input; only the others are fed by the caller.
        var inputs = graph.Input.Where(i => !initialisers.ContainsKey(i.Name)).Select(ReadValue).ToArray();
        return new OnnxGraph(path, model.IrVersion, opset, opsets, inputs, graph.Output.Select(ReadValue).ToArray(), nodes, initialisers);
    }

    /// <summary>The graph's one input besides its initialisers, read without converting any tensor; refused as <see cref="Read"/> refuses a file that has not exactly one.</summary>
    public static OnnxValue ReadInput(string path, OnnxLimits limits)
    {
        var graph = Parse(path, limits).Graph ?? throw new InvalidDataException($"model file {path} holds no graph");
        var initialisers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initialisers.Contains(i.Name)).ToArray();
        return inputs.Length == 1 ? ReadValue(inputs[0])
            : throw new InvalidDataException($"model file {path} has {inputs.Length} inputs besides its initialisers; an image classifier takes one, the images");
    }

    static ModelProto Parse(string path, OnnxLimits limits)
    {
        var length = new FileInfo(path).Length;
        if (length == 0) throw new InvalidDataException($"model file {path} is empty");
        if (length > limits.MaxFileBytes)
            throw new InvalidDataException($"model file {path} is {length >> 20} MiB, above the limit of {limits.MaxFileBytes >> 20} MiB for an ONNX file (keep larger weights as external data)");
        try
        {
            return ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"model file {path} is not a valid ONNX file: it is truncated or not an ONNX protobuf", e);
        }
    }

    static OnnxValue ReadValue(ValueInfoProto value)
    {
        var tensor = value.Type?.TensorType;
        var dims = tensor?.Shape?.Dim.Select(d => d.HasDimValue && d.DimValue > 0 ? d.DimValue : (long?)null).ToArray();
        return new OnnxValue(value.Name, tensor?.ElemType ?? 0, dims);
    }

    static OnnxNode ReadNode(string path, int index, NodeProto node, TensorReader tensors)
    {
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        var described = new OnnxNode(path, index, node.Name, node.OpType, node.Domain, node.Input.ToArray(), node.Output.ToArray(), attributes);
        foreach (var attribute in node.Attribute)
            if (!attributes.TryAdd(attribute.Name, ReadAttribute(attribute, described, tensors)))
                throw described.Error($"attribute {OnnxNames.Show(attribute.Name)} is given twice");
        return described;
    }

    static OnnxAttribute ReadAttribute(AttributeProto attribute, OnnxNode node, TensorReader tensors)
    {
        if (attribute.HasRefAttrName)
            throw node.Error($"attribute {OnnxNames.Show(attribute.Name)} refers to a function's attribute; functions are not supported");
        var type = attribute.Type != AttributeProto.Types.AttributeType.Undefined ? attribute.Type : Infer(attribute);
        var kindName = type.ToString().ToUpperInvariant();
        var read = new OnnxAttribute(attribute.Name, OnnxAttributeKind.Other) { KindName = kindName };
        return type switch
        {
            AttributeProto.Types.AttributeType.Float => read with { Kind = OnnxAttributeKind.Float, Float = attribute.F },
            AttributeProto.Types.AttributeType.Int => read with { Kind = OnnxAttributeKind.Int, Int = attribute.I },
            AttributeProto.Types.AttributeType.String => read with { Kind = OnnxAttributeKind.String, String = attribute.S.ToStringUtf8() },
            AttributeProto.Types.AttributeType.Tensor => read with
            {
                Kind = OnnxAttributeKind.Tensor,
                Tensor = tensors.Read(attribute.T ?? new TensorProto(), $"{node.Describe} attribute {OnnxNames.Show(attribute.Name)}"),
            },
            AttributeProto.Types.AttributeType.Floats => read with { Kind = OnnxAttributeKind.Floats, Floats = attribute.Floats.ToArray() },
            AttributeProto.Types.AttributeType.Ints => read with { Kind = OnnxAttributeKind.Ints, Ints = attribute.Ints.ToArray() },
            AttributeProto.Types.AttributeType.Strings => read with
            {
                Kind = OnnxAttributeKind.Strings,
                Strings = attribute.Strings.Select(s => s.ToStringUtf8()).ToArray(),
            },
            _ => read,
        };
    }

    /// <summary>Files written before IR version 2 leave an attribute's type out; the field that is set says it.</summary>
    static AttributeProto.Types.AttributeType Infer(AttributeProto a) =>
        a.HasF ? AttributeProto.Types.AttributeType.Float
        : a.HasI ? AttributeProto.Types.AttributeType.Int
        : a.HasS ? AttributeProto.Types.AttributeType.String
        : a.T is not null ? AttributeProto.Types.AttributeType.Tensor
        : a.Floats.Count > 0 ? AttributeProto.Types.AttributeType.Floats
        : a.Ints.Count > 0 ? AttributeProto.Types.AttributeType.Ints
        : a.Strings.Count > 0 ? AttributeProto.Types.AttributeType.Strings
        : AttributeProto.Types.AttributeType.Undefined;

    /// <summary>Turns stored tensors into host bytes, counting what the whole file asks for.</summary>
    sealed class TensorReader(string path, OnnxLimits limits)
    {
        readonly string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        long total;

        public OnnxTensorData Read(TensorProto tensor, string what)
        {
            InvalidDataException Bad(string message) => new($"model file {path}: {what} {message}");

            if (tensor.Segment is not null) throw Bad("is stored in segments, which are not supported");
            if (!OnnxElementTypes.TryGet(tensor.DataType, out var type, out var size))
                throw Bad($"holds {OnnxElementTypes.Name(tensor.DataType)} elements; supported: {OnnxElementTypes.Supported}");
            var shape = tensor.Dims.ToArray();
            long count = 1, bytes;
            try
            {
                foreach (var dim in shape)
                    count = dim >= 0 ? checked(count * dim) : throw Bad($"has a negative dimension ({dim})");
                bytes = checked(count * size);
            }
            catch (OverflowException)
            {
                throw Bad($"declares an impossible size ([{string.Join(", ", shape)}] {OnnxElementTypes.Name(tensor.DataType)})");
            }
            var declared = $"[{string.Join(", ", shape)}] {OnnxElementTypes.Name(tensor.DataType)} ({bytes} bytes)";
            if (bytes > limits.MaxTensorBytes)
                throw Bad($"declares {declared}, above the limit of {limits.MaxTensorBytes} bytes for a tensor");
            if ((total += bytes) > limits.MaxTotalBytes)
                throw Bad($"takes the model's tensors past the limit of {limits.MaxTotalBytes >> 20} MiB");

            var data = tensor.DataLocation == TensorProto.Types.DataLocation.External ? ReadExternal(tensor, bytes, Bad)
                : tensor.HasRawData ? tensor.RawData.Length == bytes ? tensor.RawData.ToByteArray()
                    : throw Bad($"declares {declared} but stores {tensor.RawData.Length} bytes")
                : FromTypedField(tensor, type, count, size, declared, Bad);
            return new OnnxTensorData(tensor.Name, type, shape, data);
        }

        static byte[] FromTypedField(TensorProto tensor, TorchSharp.torch.ScalarType type, long count, int size, string declared, Func<string, InvalidDataException> bad)
        {
            // ONNX keeps FLOAT in float_data, DOUBLE in double_data, INT64 in int64_data and every narrower type in int32_data.
            var stored = type switch
            {
                TorchSharp.torch.ScalarType.Float32 => tensor.FloatData.Count,
                TorchSharp.torch.ScalarType.Float64 => tensor.DoubleData.Count,
                TorchSharp.torch.ScalarType.Int64 => tensor.Int64Data.Count,
                _ => tensor.Int32Data.Count,
            };
            if (stored != count) throw bad($"declares {declared} but stores {stored} values");
            var bytes = new byte[count * size];
            switch (type)
            {
                case TorchSharp.torch.ScalarType.Float32:
                    for (var i = 0; i < count; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), tensor.FloatData[i]);
                    break;
                case TorchSharp.torch.ScalarType.Float64:
                    for (var i = 0; i < count; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), tensor.DoubleData[i]);
                    break;
                case TorchSharp.torch.ScalarType.Int64:
                    for (var i = 0; i < count; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), tensor.Int64Data[i]);
                    break;
                default:
                    // Each int32 holds one element's bits: the low bytes, little-endian (FLOAT16 and BFLOAT16 as their 16 bits).
                    Span<byte> word = stackalloc byte[4];
                    for (var i = 0; i < count; i++)
                    {
                        BitConverter.TryWriteBytes(word, tensor.Int32Data[i]);
                        word[..size].CopyTo(bytes.AsSpan(i * size));
                    }
                    break;
            }
            return bytes;
        }

        byte[] ReadExternal(TensorProto tensor, long bytes, Func<string, InvalidDataException> bad)
        {
            var entries = tensor.ExternalData.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
            if (!entries.TryGetValue("location", out var location) || location.Length == 0)
                throw bad("keeps its data externally but names no file");
            long Number(string key)
            {
                if (!entries.TryGetValue(key, out var text)) return -1;
                return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                    ? value : throw bad($"has an external-data {key} that is not a non-negative integer");
            }
            var offset = Math.Max(0, Number("offset"));
            var length = Number("length");
            if (length >= 0 && length != bytes) throw bad($"declares {bytes} bytes but its external data holds {length}");

            var file = InsideFolder(location, bad);
            // Devices and pipes report a length of 0, so the check below refuses them before anything is read from them.
            var available = new FileInfo(file).Length;
            if (offset > available || available - offset < bytes)
                throw bad($"declares {bytes} bytes at offset {offset} of its external data file, which holds {available} bytes");
            var data = new byte[bytes];
            if (bytes == 0) return data;
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            stream.Seek(offset, SeekOrigin.Begin);
            stream.ReadExactly(data);
            return data;
        }

        /// <summary>
        /// External data must be a regular file in the model's folder or below it: absolute paths and <c>..</c> are refused
        /// outright, and what is left must still lie inside the folder once every link is followed.
        /// </summary>
        string InsideFolder(string location, Func<string, InvalidDataException> bad)
        {
            if (location.Contains('\0', StringComparison.Ordinal) || Path.IsPathRooted(location) || location.StartsWith('\\') || location.Contains(':', StringComparison.Ordinal))
                throw bad("names its external data by an absolute path; external data must lie in the model's folder");
            if (location.Split('/', '\\').Any(part => part == ".."))
                throw bad("names its external data with '..'; external data must lie in the model's folder");
            var root = RealPaths.Of(folder);
            var real = RealPaths.Of(Path.Combine(folder, location));
            if (!RealPaths.IsWithin(real, root) || real == root)
                throw bad("names external data that leads outside the model's folder through a link");
            if (!File.Exists(real))
                throw bad("names an external data file that is not there");
            return real;
        }
    }
}
