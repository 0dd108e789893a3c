using Google.Protobuf;
using Onnx;
using Saliency.Attribution.Models;
using Saliency.Attribution.Models.Onnx;

namespace Saliency.Attribution.Tests.Onnx;

/// <summary>Files an ONNX reader must refuse when the model loads, each with an error that names the file (and the node or tensor).</summary>
public class OnnxBadInputTests
{
    static OnnxFile Relu(long opset = 13) => new OnnxFile(opset).Node("Relu", ["x"], ["y"], "relu");

    static InvalidDataException Refused(string path) => Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path));

    [Fact]
    public void An_unsupported_operator_is_refused_naming_the_file_the_operator_and_the_node()
    {
        var path = new OnnxFile(13).Node("Relu", ["x"], ["r"], "first").Node("Resize", ["r"], ["y"], "upsample_7").Save();

        var error = Refused(path);

        Assert.Contains(path, error.Message);
        Assert.Contains("'upsample_7'", error.Message);
        Assert.Contains("Resize", error.Message);
        Assert.Contains("not supported", error.Message);
    }

    [Fact]
    public void An_operator_of_another_domain_is_refused()
    {
        var file = Relu();
        file.Proto.Graph.Node[0].Domain = "com.microsoft";

        var error = Refused(file.Save());

        Assert.Contains("'relu'", error.Message);
        Assert.Contains("com.microsoft", error.Message);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(19)]
    public void An_opset_outside_the_supported_range_is_refused(long opset)
    {
        var path = Relu(opset).Save();

        var error = Refused(path);

        Assert.Contains(path, error.Message);
        Assert.Contains($"opset {opset}", error.Message);
        Assert.Contains($"{OnnxModel.MinOpset} to {OnnxModel.MaxOpset}", error.Message);
    }

    [Fact]
    public void An_attribute_the_operator_cannot_honour_is_refused_when_the_model_loads()
    {
        var path = new OnnxFile(13).Floats("W", [1, 1, 3, 3], new float[9]).Node("Conv", ["x", "W"], ["y"], "conv", ("auto_pad", "SOMETIMES")).Save();

        var error = Refused(path);

        Assert.Contains(path, error.Message);
        Assert.Contains("'conv'", error.Message);
        Assert.Contains("auto_pad", error.Message);
    }

    [Fact]
    public void A_training_output_is_refused()
    {
        var path = new OnnxFile(13).Node("Dropout", ["x"], ["y"], "drop").Node("MaxPool", ["y"], ["z", "indices"], "pool", ("kernel_shape", new long[] { 2, 2 })).Save();

        var error = Refused(path);

        Assert.Contains("'pool'", error.Message);
        Assert.Contains("'indices'", error.Message);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.1)]
    [InlineData(0.999)]
    public void A_truncated_file_is_refused_naming_it(double kept)
    {
        var bytes = new OnnxFile(13).Floats("W", [8, 3, 3, 3], new float[216]).Node("Conv", ["x", "W"], ["y"]).Bytes;
        var path = Path.Combine(TestData.TemporaryDirectory(), "truncated.onnx");
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * kept)]);

        var error = Refused(path);

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_refused_naming_it()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "photo.onnx");
        File.Copy(Path.Combine(TestData.Photos, "coffee.jpg"), path);

        var error = Refused(path);

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void An_empty_file_is_refused_naming_it()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "empty.onnx");
        File.WriteAllBytes(path, []);

        Assert.Contains(path, Refused(path).Message);
    }

    [Fact]
    public void A_tensor_that_declares_more_than_it_stores_is_refused_before_it_is_allocated()
    {
        var huge = new TensorProto { Name = "huge", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(new byte[16]) };
        huge.Dims.Add([1L << 20, 1L << 20]);
        var path = Relu().Initialiser(huge).Save();

        var error = Refused(path);

        Assert.Contains(path, error.Message);
        Assert.Contains("'huge'", error.Message);
    }

    [Fact]
    public void A_tensor_that_declares_a_size_that_overflows_is_refused()
    {
        var huge = new TensorProto { Name = "overflow", DataType = (int)TensorProto.Types.DataType.Float };
        huge.Dims.Add([long.MaxValue / 2, 4]);
        var path = Relu().Initialiser(huge).Save();

        var error = Refused(path);

        Assert.Contains("'overflow'", error.Message);
    }

    [Fact]
    public void A_tensor_above_the_size_limit_is_refused_even_when_it_stores_its_bytes()
    {
        var path = Relu().Floats("big", [64, 64], new float[64 * 64]).Save();

        var error = Assert.Throws<InvalidDataException>(() => OnnxModel.Load(path, new OnnxLimits(MaxTensorBytes: 1024)));

        Assert.Contains("'big'", error.Message);
        Assert.Contains("limit", error.Message);
    }

    [Fact]
    public void Typed_values_fewer_than_the_shape_declares_are_refused()
    {
        var path = Relu().Floats("short", [4, 4], 1, 2, 3).Save();

        var error = Refused(path);

        Assert.Contains("'short'", error.Message);
        Assert.Contains("stores 3 values", error.Message);
    }

    static TensorProto External(string name, string location, long length)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        t.Dims.Add(length / 4);
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return t;
    }

    /// <summary>y = x + w, w read from external data.</summary>
    static OnnxFile AddExternal(string location) => new OnnxFile(13).Initialiser(External("w", location, 16)).Node("Add", ["x", "w"], ["y"]);

    [Fact]
    public void External_data_in_the_models_folder_is_read()
    {
        var directory = TestData.TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(directory, "weights"));
        File.WriteAllBytes(Path.Combine(directory, "weights", "w.bin"), [.. new float[] { 1, 2, 3, 4 }.SelectMany(BitConverter.GetBytes)]);
        var path = AddExternal("weights/w.bin").Save(directory);

        var (values, _) = OnnxOperatorTests.Ours(path, [10, 20, 30, 40], [4]);

        Assert.Equal(new float[] { 11, 22, 33, 44 }, values);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../outside.bin")]
    [InlineData("weights/../../outside.bin")]
    public void External_data_outside_the_models_folder_is_refused(string location)
    {
        var root = TestData.TemporaryDirectory();
        var directory = Path.Combine(root, "model");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(root, "outside.bin"), new byte[16]);
        var path = AddExternal(location).Save(directory);

        var error = Refused(path);

        Assert.Contains(path, error.Message);
        Assert.Contains("'w'", error.Message);
        Assert.Contains("model's folder", error.Message);
        Assert.DoesNotContain("passwd", error.Message);
    }

    [Fact]
    public void External_data_that_leads_outside_through_a_link_is_refused()
    {
        var root = TestData.TemporaryDirectory();
        var directory = Path.Combine(root, "model");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(root, "outside.bin"), new byte[16]);
        File.CreateSymbolicLink(Path.Combine(directory, "w.bin"), Path.Combine(root, "outside.bin"));
        Directory.CreateSymbolicLink(Path.Combine(directory, "up"), root);
        var file = Path.Combine(directory, "file.onnx");
        var folder = Path.Combine(directory, "folder.onnx");
        File.WriteAllBytes(file, AddExternal("w.bin").Bytes);
        File.WriteAllBytes(folder, AddExternal("up/outside.bin").Bytes);

        Assert.Contains("link", Refused(file).Message);
        Assert.Contains("link", Refused(folder).Message);
    }

    [Fact]
    public void External_data_shorter_than_declared_is_refused()
    {
        var directory = TestData.TemporaryDirectory();
        File.WriteAllBytes(Path.Combine(directory, "w.bin"), new byte[8]);
        var path = AddExternal("w.bin").Save(directory);

        var error = Refused(path);

        Assert.Contains("'w'", error.Message);
        Assert.Contains("holds 8 bytes", error.Message);
    }

    [Fact]
    public void A_graph_with_a_cycle_is_refused_naming_its_nodes()
    {
        var path = new OnnxFile(13)
            .Node("Add", ["x", "b"], ["a"], "loop_a")
            .Node("Relu", ["a"], ["b"], "loop_b")
            .Node("Relu", ["a"], ["y"], "out")
            .Save();

        var error = Refused(path);

        Assert.Contains(path, error.Message);
        Assert.Contains("cycle", error.Message);
        Assert.Contains("'loop_a'", error.Message);
        Assert.Contains("'loop_b'", error.Message);
    }

    [Fact]
    public void A_node_that_reads_a_value_nothing_produces_is_refused()
    {
        var path = new OnnxFile(13).Node("Add", ["x", "ghost"], ["y"], "haunted").Save();

        var error = Refused(path);

        Assert.Contains("'haunted'", error.Message);
        Assert.Contains("'ghost'", error.Message);
    }

    [Fact]
    public void A_value_written_twice_is_refused()
    {
        var path = new OnnxFile(13).Node("Relu", ["x"], ["y"], "one").Node("Sigmoid", ["x"], ["y"], "two").Save();

        Assert.Contains("'two'", Refused(path).Message);
    }

    [Fact]
    public void A_graph_with_two_inputs_is_refused()
    {
        var file = new OnnxFile(13).Node("Add", ["x", "x2"], ["y"]);
        file.Proto.Graph.Input.Add(new ValueInfoProto { Name = "x2" });

        var error = Refused(file.Save());

        Assert.Contains("2 inputs", error.Message);
    }

    [Fact]
    public void A_name_in_an_error_is_shown_without_control_characters_and_cut_short()
    {
        var name = "evil\nname\u001b[31m" + new string('x', 500);
        var path = new OnnxFile(13).Node("NoSuchOp", ["x"], ["y"], name).Save();

        var error = Refused(path);

        // Ordinal: a culture-aware search finds an escape character, which weighs nothing, everywhere.
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\u001b', error.Message);
        Assert.True(error.Message.Length < 1000 + path.Length, error.Message);
    }

    [Fact]
    public void A_model_that_fails_as_it_runs_names_the_node()
    {
        // The weight wants 3 channels; images of 1 channel reach it only at run time.
        var path = new OnnxFile(13).Floats("W", [2, 3, 1, 1], new float[6]).Node("Conv", ["x", "W"], ["c"], "stem").Node("GlobalAveragePool", ["c"], ["y"]).Save();

        using var model = ModelLoader.Load(path);
        var error = Assert.Throws<InvalidDataException>(() => model.RequireInput(new Data.ImageShape(1, 8, 8), "test"));

        Assert.Contains("'stem'", error.Message);
    }
}
