using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// Dropout at inference is the identity. Its optional second output, the mask, is all ones: of the input's type at opsets
/// 7–9, boolean from 10. Up to opset 11 the ratio is an attribute; from 12 ratio and training_mode are optional inputs, and
/// a training_mode that is true is refused (it is training).
/// </summary>
sealed class Dropout : IOnnxOperator
{
    public string OpType => "Dropout";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(1, model.Opset >= 12 ? 3 : 1, 2);
        var training = node.Input(2);
        if (training.Length > 0 && model.Known(training) is { } known
            && (known.IsFloatingPoint ? known.AsDoubles().Any(v => v != 0) : known.AsLongs().Any(v => v != 0)))
            throw node.Error("training_mode is true; only inference is supported");
        var trainingAtRunTime = training.Length > 0 && model.Known(training) is null;
        var mask = node.Outputs.Count > 1 && node.Outputs[1].Length > 0;
        var booleanMask = model.Opset >= 10;
        return inputs =>
        {
            var x = inputs[0]!;
            if (trainingAtRunTime && OnnxValues.Scalar(inputs[2]!) != 0)
                throw node.Error("training_mode is true; only inference is supported");
            return mask ? [x, ones_like(x, booleanMask ? ScalarType.Bool : x.dtype)] : [x];
        };
    }
}
