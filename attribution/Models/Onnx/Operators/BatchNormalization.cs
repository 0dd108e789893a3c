using static TorchSharp.torch;

namespace Saliency.Attribution.Models.Onnx.Operators;

/// <summary>
/// BatchNormalization at inference: Y = (X − mean) / √(var + epsilon) · scale + B, with the stored running statistics
/// (momentum is read by training only). Before opset 9, spatial = 0 (default 1) normalises each activation rather than each
/// channel, its statistics shaped like one image [C, H, W]; opset 9 dropped the attribute. The optional outputs of opsets
/// 7–13 (running and saved statistics) and training_mode = 1 (opset 14 and later) belong to training and are refused.
/// </summary>
sealed class BatchNormalization : IOnnxOperator
{
    public string OpType => "BatchNormalization";

    public OnnxKernel Compile(OnnxNode node, IOnnxCompilation model)
    {
        node.RequireArity(5, 5, 1);
        var epsilon = node.Float("epsilon", 1e-5f);
        var perActivation = model.Opset < 9 && node.Int("spatial", 1) == 0;
        if (model.Opset >= 14 && node.Int("training_mode", 0) != 0)
            throw node.Error("training_mode = 1 is training; only inference is supported");
        return inputs =>
        {
            var (x, scale, bias, mean, variance) = (inputs[0]!, inputs[1]!, inputs[2]!, inputs[3]!, inputs[4]!);
            if (x.dim() < 2) throw node.Error($"takes an input of rank 2 or more, got {OnnxValues.Shape(x)}");
            if (!perActivation) return [nn.functional.batch_norm(x, mean, variance, scale, bias, training: false, eps: epsilon)];
            // Statistics of one image, [C, D1, ...]: broadcast over the batch.
            return [(x - mean.unsqueeze(0)) / (variance.unsqueeze(0) + epsilon).sqrt() * scale.unsqueeze(0) + bias.unsqueeze(0)];
        };
    }
}
