using Google.Protobuf;
using Onnx;

namespace Saliency.Attribution.Tests.Onnx;

/// <summary>
/// Writes small ONNX models for tests with the types protoc generates from ONNX's own schema: what the tests give the
/// loader is a file in the published format, built here rather than by the code under test.
/// </summary>
sealed class OnnxFile
{
    readonly ModelProto model;
    GraphProto Graph => model.Graph;

    public OnnxFile(long opset, long[]? inputShape = null, string input = "x", string output = "y", int inputType = 1)
    {
        model = new ModelProto { IrVersion = opset >= 15 ? 8 : 7, ProducerName = "saliency-tests", Graph = new GraphProto { Name = "test" } };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        Graph.Input.Add(Value(input, inputType, inputShape));
        Graph.Output.Add(Value(output, inputType, null));
    }

    static ValueInfoProto Value(string name, int type, long[]? shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = type };
        if (shape is not null)
        {
            tensor.Shape = new TensorShapeProto();
            foreach (var d in shape) tensor.Shape.Dim.Add(d > 0 ? new TensorShapeProto.Types.Dimension { DimValue = d } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    public OnnxFile Node(string opType, string[] inputs, string[] outputs, string? name = null, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name ?? $"{opType}_{Graph.Node.Count}" };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        foreach (var (key, value) in attributes) node.Attribute.Add(Attribute(key, value));
        Graph.Node.Add(node);
        return this;
    }

    public static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.Add(ints); break;
            case float[] floats: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.Add(floats); break;
            case TensorProto t: a.Type = AttributeProto.Types.AttributeType.Tensor; a.T = t; break;
            default: throw new ArgumentException($"attribute {name}: {value.GetType()}");
        }
        return a;
    }

    public OnnxFile Initialiser(TensorProto tensor)
    {
        Graph.Initializer.Add(tensor);
        return this;
    }

    public OnnxFile Floats(string name, long[] dims, params float[] values) => Initialiser(FloatTensor(name, dims, values));

    public OnnxFile Longs(string name, long[] dims, params long[] values) => Initialiser(LongTensor(name, dims, values));

    public static TensorProto FloatTensor(string name, long[] dims, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.Add(dims);
        t.FloatData.Add(values);
        return t;
    }

    public static TensorProto LongTensor(string name, long[] dims, long[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(dims);
        t.Int64Data.Add(values);
        return t;
    }

    /// <summary>Deterministic values in [-1, 1) for weights and inputs.</summary>
    public static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    public ModelProto Proto => model;

    public byte[] Bytes => model.ToByteArray();

    public string Save(string? directory = null, string name = "model.onnx")
    {
        var path = Path.Combine(directory ?? TestData.TemporaryDirectory(), name);
        File.WriteAllBytes(path, Bytes);
        return path;
    }
}
