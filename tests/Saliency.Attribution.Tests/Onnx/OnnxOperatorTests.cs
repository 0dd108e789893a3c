using Saliency.Attribution.Models.Onnx;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests.Onnx;

/// <summary>
/// Each operator on a tiny graph: a known answer worked out here, and agreement with onnxruntime on the same file. Tiny
/// graphs in float32 agree to a few units in the last place: 1e-5 absolute on values of order 1.
/// </summary>
public class OnnxOperatorTests
{
    const float Tolerance = 1e-5f;

    internal static (float[] Values, long[] Shape) Ours(string path, float[] input, long[] shape)
    {
        using var module = OnnxModel.Load(path);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = module.call(tensor(input, shape));
        return (output.contiguous().data<float>().ToArray(), output.shape);
    }

    /// <summary>Runs both and returns ours, after asserting it is onnxruntime's to <see cref="Tolerance"/>.</summary>
    static (float[] Values, long[] Shape) AgreesWithOnnxRuntime(OnnxFile file, float[] input, params long[] shape)
    {
        var path = file.Save();
        var ours = Ours(path, input, shape);
        var reference = OnnxRuntimeReference.Run(path, input, shape);
        // Pooled features [N, C, 1, …, 1] are returned as [N, C] (OnnxModule); every other shape is onnxruntime's.
        var pooled = reference.Shape.Length > 2 && reference.Shape.Skip(2).All(d => d == 1);
        Assert.Equal(pooled ? reference.Shape[..2] : reference.Shape, ours.Shape);
        Assert.Equal(reference.Values, ours.Values, (a, b) => Math.Abs(a - b) <= Tolerance || (float.IsInfinity(a) && a == b));
        return ours;
    }

    [Fact]
    public void Gemm_transposes_B_and_scales_by_alpha_and_beta()
    {
        var a = new float[] { 1, 2, 3, 4, 5, 6 };                     // [2, 3]
        var b = new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1 };   // [4, 3], used transposed
        var c = new float[] { 10, 20, 30, 40 };
        var file = new OnnxFile(13).Floats("B", [4, 3], b).Floats("C", [4], c)
            .Node("Gemm", ["x", "B", "C"], ["y"], null, ("transB", 1L), ("alpha", 0.5f), ("beta", 2f));

        var (values, shape) = AgreesWithOnnxRuntime(file, a, 2, 3);

        // 0.5 · A·Bᵀ + 2 · C: A·Bᵀ = [[1, 2, 3, 6], [4, 5, 6, 15]].
        Assert.Equal(new long[] { 2, 4 }, shape);
        Assert.Equal(new float[] { 20.5f, 41, 61.5f, 83, 22, 42.5f, 63, 87.5f }, values);
    }

    [Fact]
    public void Gemm_without_C_is_allowed_from_opset_11()
    {
        var file = new OnnxFile(11).Floats("B", [3, 2], 1, 2, 3, 4, 5, 6).Node("Gemm", ["x", "B"], ["y"], null, ("alpha", 2f));

        var (values, _) = AgreesWithOnnxRuntime(file, [1, 1, 1], 1, 3);

        Assert.Equal(new float[] { 18, 24 }, values);
    }

    [Fact]
    public void Clip_reads_its_bounds_from_attributes_before_opset_11()
    {
        var file = new OnnxFile(10).Node("Clip", ["x"], ["y"], null, ("min", 0f), ("max", 6f));

        var (values, _) = AgreesWithOnnxRuntime(file, [-3, 0.5f, 6.5f, 9], 4);

        Assert.Equal(new float[] { 0, 0.5f, 6, 6 }, values);
    }

    [Fact]
    public void Clip_reads_its_bounds_from_inputs_from_opset_11_and_a_missing_bound_does_not_clip()
    {
        var file = new OnnxFile(11).Floats("low", [], -1f).Node("Clip", ["x", "low"], ["y"]);

        var (values, _) = AgreesWithOnnxRuntime(file, [-3, 0.5f, 6.5f, 900], 4);

        Assert.Equal(new float[] { -1, 0.5f, 6.5f, 900 }, values);
    }

    [Fact]
    public void Clip_from_opset_11_may_take_an_upper_bound_alone()
    {
        var path = new OnnxFile(11).Floats("high", [], 6f).Node("Clip", ["x", "", "high"], ["y"]).Save();

        var (values, _) = Ours(path, [-3, 7], [2]);

        Assert.Equal(new float[] { -3, 6 }, values);
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("reflect")]
    [InlineData("edge")]
    public void Pad_before_opset_11_takes_pads_and_value_as_attributes(string mode)
    {
        var file = new OnnxFile(10).Node("Pad", ["x"], ["y"], null, ("mode", mode), ("pads", new long[] { 0, 0, 1, 2, 0, 0, 2, 1 }), ("value", 7f));

        var (_, shape) = AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 3 * 4 * 5, 1), 2, 3, 4, 5);

        Assert.Equal(new long[] { 2, 3, 7, 8 }, shape);
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("reflect")]
    [InlineData("edge")]
    public void Pad_from_opset_11_takes_pads_and_value_as_inputs(string mode)
    {
        var file = new OnnxFile(11).Longs("pads", [8], 0, 0, 2, 1, 0, 0, 1, 2).Floats("value", [], -2f)
            .Node("Pad", ["x", "pads", "value"], ["y"], null, ("mode", mode));

        AgreesWithOnnxRuntime(file, OnnxFile.Values(1 * 2 * 4 * 4, 2), 1, 2, 4, 4);
    }

    [Fact]
    public void Pad_with_a_negative_pad_crops()
    {
        var file = new OnnxFile(11).Longs("pads", [4], 1, -1, 0, -2).Node("Pad", ["x", "pads"], ["y"]);

        var (values, shape) = AgreesWithOnnxRuntime(file, [1, 2, 3, 4, 5, 6, 7, 8], 2, 4);

        Assert.Equal(new long[] { 3, 1 }, shape);
        Assert.Equal(new float[] { 0, 2, 6 }, values);
    }

    [Fact]
    public void Pad_at_opset_18_pads_only_the_axes_it_names()
    {
        var file = new OnnxFile(18).Longs("pads", [2], 1, 2).Longs("axes", [1], -1).Node("Pad", ["x", "pads", "", "axes"], ["y"]);

        var (values, shape) = AgreesWithOnnxRuntime(file, [1, 2, 3, 4], 2, 2);

        Assert.Equal(new long[] { 2, 5 }, shape);
        Assert.Equal(new float[] { 0, 1, 2, 0, 0, 0, 3, 4, 0, 0 }, values);
    }

    [Fact]
    public void Reshape_copies_a_dimension_for_0_and_infers_one_for_minus_1()
    {
        var file = new OnnxFile(13).Longs("shape", [3], 0, -1, 2).Node("Reshape", ["x", "shape"], ["y"]);

        var (_, shape) = AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 3 * 4, 3), 2, 3, 4);

        Assert.Equal(new long[] { 2, 6, 2 }, shape);
    }

    [Fact]
    public void Reshape_reads_a_shape_the_graph_computes_as_torch_exports_flatten()
    {
        // x.view(x.size(0), -1) as torch exported it: Shape, Gather, Unsqueeze, Concat with a constant, Reshape.
        var file = new OnnxFile(11)
            .Node("Shape", ["x"], ["s"])
            .Node("Constant", [], ["zero"], null, ("value", OnnxFile.LongTensor("zero", [], [0])))
            .Node("Gather", ["s", "zero"], ["n"], null, ("axis", 0L))
            .Node("Unsqueeze", ["n"], ["n1"], null, ("axes", new long[] { 0 }))
            .Longs("rest", [1], -1)
            .Node("Concat", ["n1", "rest"], ["shape"], null, ("axis", 0L))
            .Node("Reshape", ["x", "shape"], ["y"]);

        var (_, shape) = AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 3 * 2 * 2, 4), 2, 3, 2, 2);

        Assert.Equal(new long[] { 2, 12 }, shape);
    }

    [Fact]
    public void Softmax_before_opset_13_runs_over_every_axis_from_axis_on()
    {
        var file = new OnnxFile(11).Node("Softmax", ["x"], ["y"], null, ("axis", 1L));

        var (values, _) = AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 3 * 4, 5), 2, 3, 4);

        // Each image's 12 values sum to 1 together, not each column of 3.
        Assert.Equal(1, values.Take(12).Sum(), 5);
        Assert.NotEqual(1, values[0] + values[4] + values[8], 2);
    }

    [Fact]
    public void Softmax_from_opset_13_runs_over_the_one_axis()
    {
        var file = new OnnxFile(13).Node("Softmax", ["x"], ["y"], null, ("axis", 1L));

        var (values, _) = AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 3 * 4, 5), 2, 3, 4);

        Assert.Equal(1, values[0] + values[4] + values[8], 5);
    }

    [Fact]
    public void Softmax_defaults_to_the_last_axis_from_opset_13()
    {
        var file = new OnnxFile(13).Node("LogSoftmax", ["x"], ["y"]);

        var (values, _) = AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 3 * 4, 6), 2, 3, 4);

        Assert.Equal(1, values.Take(4).Sum(MathF.Exp), 5);
    }

    [Fact]
    public void Concat_joins_along_a_negative_axis_from_opset_11()
    {
        var file = new OnnxFile(11).Floats("w", [2, 1], 9, 8).Node("Concat", ["x", "w", "x"], ["y"], null, ("axis", -1L));

        var (values, shape) = AgreesWithOnnxRuntime(file, [1, 2, 3, 4], 2, 2);

        Assert.Equal(new long[] { 2, 5 }, shape);
        Assert.Equal(new float[] { 1, 2, 9, 1, 2, 3, 4, 8, 3, 4 }, values);
    }

    [Theory]
    [InlineData(0, new long[] { 1, 24 })]
    [InlineData(1, new long[] { 2, 12 })]
    [InlineData(2, new long[] { 6, 4 })]
    [InlineData(-1, new long[] { 6, 4 })]
    [InlineData(3, new long[] { 24, 1 })]
    public void Flatten_splits_the_shape_at_axis(long axis, long[] expected)
    {
        var file = new OnnxFile(13).Node("Flatten", ["x"], ["y"], null, ("axis", axis));

        var (_, shape) = AgreesWithOnnxRuntime(file, OnnxFile.Values(24, 7), 2, 3, 4);

        Assert.Equal(expected, shape);
    }

    [Fact]
    public void Conv_with_unequal_pads_strides_groups_and_bias_agrees_with_onnxruntime()
    {
        var file = new OnnxFile(8).Floats("W", [4, 2, 3, 3], OnnxFile.Values(4 * 2 * 9, 8)).Floats("B", [4], 0.1f, -0.2f, 0.3f, 0)
            .Node("Conv", ["x", "W", "B"], ["y"], null, ("pads", new long[] { 3, 1, 0, 2 }), ("strides", new long[] { 2, 1 }), ("group", 2L), ("dilations", new long[] { 1, 2 }));

        AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 4 * 9 * 8, 9), 2, 4, 9, 8);
    }

    [Theory]
    [InlineData("SAME_UPPER")]
    [InlineData("SAME_LOWER")]
    [InlineData("VALID")]
    public void Conv_auto_pad_agrees_with_onnxruntime(string autoPad)
    {
        var file = new OnnxFile(13).Floats("W", [3, 2, 4, 3], OnnxFile.Values(3 * 2 * 12, 10))
            .Node("Conv", ["x", "W"], ["y"], null, ("auto_pad", autoPad), ("strides", new long[] { 2, 3 }));

        AgreesWithOnnxRuntime(file, OnnxFile.Values(1 * 2 * 9 * 10, 11), 1, 2, 9, 10);
    }

    [Theory]
    [InlineData(8, 0)]
    [InlineData(11, 0)]
    [InlineData(11, 1)]
    public void MaxPool_with_unequal_pads_agrees_with_onnxruntime(int opset, int ceil)
    {
        (string, object)[] window = [("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 0, 0 })];
        // ceil_mode exists from opset 10.
        var file = new OnnxFile(opset).Node("MaxPool", ["x"], ["y"], null, opset >= 10 ? [.. window, ("ceil_mode", (long)ceil)] : window);

        AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 3 * 10 * 9, 12), 2, 3, 10, 9);
    }

    [Theory]
    [InlineData(0, new long[] { 1, 1, 1, 1 })]
    [InlineData(1, new long[] { 1, 1, 1, 1 })]
    [InlineData(0, new long[] { 2, 0, 1, 2 })]
    [InlineData(1, new long[] { 2, 0, 1, 2 })]
    public void AveragePool_counts_padding_only_when_asked(int countIncludePad, long[] pads)
    {
        var file = new OnnxFile(11).Node("AveragePool", ["x"], ["y"], null,
            ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", pads), ("count_include_pad", (long)countIncludePad));

        AgreesWithOnnxRuntime(file, OnnxFile.Values(1 * 2 * 7 * 8, 13), 1, 2, 7, 8);
    }

    [Fact]
    public void BatchNormalization_uses_the_stored_statistics()
    {
        var file = new OnnxFile(9).Floats("s", [3], 1, 2, 0.5f).Floats("b", [3], 0, 1, -1).Floats("m", [3], 0.1f, -0.2f, 0.3f).Floats("v", [3], 1, 4, 0.25f)
            .Node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], null, ("epsilon", 1e-3f));

        AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 3 * 4 * 4, 14), 2, 3, 4, 4);
    }

    [Fact]
    public void BatchNormalization_before_opset_9_normalises_each_activation_when_not_spatial()
    {
        var stats = OnnxFile.Values(2 * 2 * 2, 15);
        var file = new OnnxFile(7).Floats("s", [2, 2, 2], stats).Floats("b", [2, 2, 2], stats.Reverse().ToArray())
            .Floats("m", [2, 2, 2], stats.Select(v => v / 2).ToArray()).Floats("v", [2, 2, 2], stats.Select(v => v * v + 0.5f).ToArray())
            .Node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], null, ("spatial", 0L));

        var (values, _) = Ours(file.Save(), OnnxFile.Values(3 * 8, 16), [3, 2, 2, 2]);

        var x = OnnxFile.Values(3 * 8, 16);
        for (var i = 0; i < values.Length; i++)
        {
            var j = i % 8;
            var expected = (x[i] - stats[j] / 2) / MathF.Sqrt(stats[j] * stats[j] + 0.5f + 1e-5f) * stats[j] + stats[7 - j];
            Assert.Equal(expected, values[i], 5);
        }
    }

    [Fact]
    public void A_small_classifier_of_common_operators_agrees_with_onnxruntime()
    {
        var file = new OnnxFile(13)
            .Floats("W", [4, 3, 3, 3], OnnxFile.Values(4 * 27, 17)).Floats("half", [], 0.5f).Floats("F", [5, 4], OnnxFile.Values(20, 18)).Floats("Fb", [5], OnnxFile.Values(5, 19))
            .Floats("lo", [], 0f).Floats("hi", [], 6f)
            .Node("Conv", ["x", "W"], ["c"], null, ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Clip", ["c", "lo", "hi"], ["r6"])
            .Node("Sigmoid", ["r6"], ["g"])
            .Node("Mul", ["r6", "g"], ["m"])
            .Node("Mul", ["m", "half"], ["m2"])
            .Node("Dropout", ["m2"], ["d"])
            .Node("GlobalAveragePool", ["d"], ["p"])
            .Node("Flatten", ["p"], ["f"])
            .Node("MatMul", ["f", "Ft"], ["mm"])
            .Node("Identity", ["mm"], ["i"])
            .Node("Add", ["i", "Fb"], ["y"])
            .Node("Transpose", ["F"], ["Ft"]);

        AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 3 * 8 * 8, 20), 2, 3, 8, 8);
    }

    [Fact]
    public void Split_at_opset_18_gives_num_outputs_parts_the_last_smaller()
    {
        var file = new OnnxFile(18)
            .Node("Split", ["x"], ["a", "b", "c"], null, ("axis", 1L), ("num_outputs", 3L))
            .Node("Concat", ["c", "a"], ["y"], null, ("axis", 1L));

        var (values, shape) = AgreesWithOnnxRuntime(file, [1, 2, 3, 4, 5, 6, 7], 1, 7);

        Assert.Equal(new long[] { 1, 4 }, shape);
        Assert.Equal(new float[] { 7, 1, 2, 3 }, values);
    }

    [Fact]
    public void ReduceMean_reads_its_axes_from_an_attribute_before_opset_18()
    {
        var file = new OnnxFile(13).Node("ReduceMean", ["x"], ["y"], null, ("axes", new long[] { 1, -1 }), ("keepdims", 0L));

        var (_, shape) = AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 3 * 4, 24), 2, 3, 4);

        Assert.Equal(new long[] { 2 }, shape);
    }

    [Fact]
    public void ReduceMean_reads_its_axes_from_an_input_from_opset_18()
    {
        var file = new OnnxFile(18).Longs("axes", [1], 1).Node("ReduceMean", ["x", "axes"], ["y"]);

        var (_, shape) = AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 3 * 4, 25), 2, 3, 4);

        Assert.Equal(new long[] { 2, 1, 4 }, shape);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void Unsqueeze_and_Squeeze_read_their_axes_by_opset(long opset)
    {
        var file = new OnnxFile(opset);
        if (opset < 13)
            file.Node("Unsqueeze", ["x"], ["u"], null, ("axes", new long[] { 0, -2 })).Node("Squeeze", ["u"], ["y"], null, ("axes", new long[] { 0 }));
        else
            file.Longs("ua", [2], 0, -2).Longs("sa", [1], 0).Node("Unsqueeze", ["x", "ua"], ["u"]).Node("Squeeze", ["u", "sa"], ["y"]);

        var (_, shape) = AgreesWithOnnxRuntime(file, OnnxFile.Values(6, 26), 2, 3);

        Assert.Equal(new long[] { 2, 1, 3 }, shape);
    }

    [Fact]
    public void A_constant_may_be_given_as_value_floats_from_opset_12()
    {
        var file = new OnnxFile(12).Node("Constant", [], ["c"], null, ("value_floats", new[] { 1f, 2f, 3f })).Node("Mul", ["x", "c"], ["y"]);

        var (values, _) = AgreesWithOnnxRuntime(file, [2, 2, 2, 1, 1, 1], 2, 3);

        Assert.Equal(new float[] { 2, 4, 6, 1, 2, 3 }, values);
    }

    [Fact]
    public void LeakyRelu_Div_Sub_and_GlobalMaxPool_agree_with_onnxruntime()
    {
        var file = new OnnxFile(13).Floats("d", [1, 3, 1, 1], 2, -4, 0.5f)
            .Node("LeakyRelu", ["x"], ["l"], null, ("alpha", 0.2f))
            .Node("Div", ["l", "d"], ["q"])
            .Node("Sub", ["q", "x"], ["s"])
            .Node("GlobalMaxPool", ["s"], ["y"]);

        var (_, shape) = AgreesWithOnnxRuntime(file, OnnxFile.Values(2 * 3 * 5 * 5, 27), 2, 3, 5, 5);

        // Pooled features [N, C, 1, 1] come back as [N, C].
        Assert.Equal(new long[] { 2, 3 }, shape);
    }
}
