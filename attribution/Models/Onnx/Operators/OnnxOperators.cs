namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>The operators the interpreter runs, by op type, and the opsets of the ONNX domain it reads their semantics for.</summary>
static class OnnxOperators
{
    /// <summary>Opset 7 brought NumPy broadcasting to the arithmetic operators; earlier files are refused.</summary>
    public const int MinOpset = 7;

    /// <summary>Opset 19 added Pad's wrap mode, AveragePool's dilations and more, which are not read here.</summary>
    public const int MaxOpset = 18;

    public static IReadOnlyDictionary<string, IOnnxOperator> All { get; } = new IOnnxOperator[]
    {
        new Conv(), new BatchNormalization(), new MaxPool(), new AveragePool(), new GlobalPool(maximum: false), new GlobalPool(maximum: true),
        new Gemm(), new Flatten(), new Reshape(), new Concat(), new Softmax("Softmax", log: false), new Softmax("LogSoftmax", log: true),
        new Clip(), new Pad(), new Dropout(), new Constant(), new Shape(), new Gather(), new Unsqueeze(squeeze: false), new Unsqueeze(squeeze: true),
        new Cast(), new Transpose(), new ReduceMean(), new Split(),
    }.Concat(ElementwiseOperators.All).ToDictionary(o => o.OpType, StringComparer.Ordinal);
}
