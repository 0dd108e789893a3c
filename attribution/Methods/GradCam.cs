using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Saliency.Attribution.Methods;

/// <summary>
/// Grad-CAM (Selvaraju et al. 2017): the activations A of a convolution layer weighted by the spatial
/// mean of ∂score/∂A per channel, summed over channels, passed through ReLU and upsampled bilinearly to
/// the input. The map is repeated over the input's channels so it is shaped like the input.
/// </summary>
public sealed class GradCam(string? layer = null, ScoreKind score = ScoreKind.Logit, int internalBatchSize = 64) : IAttributionMethod
{
    public string Name => "gradcam";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target)
    {
        var (name, module) = FindLayer(model, layer);
        // A forward hook on a shared model sees every caller's activations; one Grad-CAM pass at a time per layer.
        lock (module)
        {
            Tensor? activation = null;
            // Networks dispose their intermediates (Sequential does, as soon as the next layer has run), so the
            // rest of the network gets an alias and the captured activation stays alive until released here.
            var hook = module.register_forward_hook((_, _, output) => { activation = output.DetachFromDisposeScope(); return output.alias(); });
            try
            {
                return PreparedImages.AttributeAll(model, images, target, score, internalBatchSize, 1, prepared =>
                {
                    var chunks = new List<Tensor>();
                    var (height, width) = (prepared.Inputs.shape[2], prepared.Inputs.shape[3]);
                    for (long start = 0; start < prepared.Inputs.shape[0]; start += internalBatchSize)
                    {
                        using var scope = NewDisposeScope();
                        using var enabled = enable_grad();
                        var count = Math.Min(internalBatchSize, prepared.Inputs.shape[0] - start);
                        // Weights are frozen, so the input must ask for gradients for the graph to reach the layer.
                        var input = prepared.Inputs.narrow(0, start, count).detach().requires_grad_(true);
                        var targets = tensor(prepared.Targets, device: model.Device).narrow(0, start, count);
                        var scores = ClassScore.Of(model, input, targets, score);
                        var activations = activation ?? throw new InvalidOperationException($"layer '{name}' produced no activation");
                        var gradients = autograd.grad(new[] { scores.sum() }, new[] { activations })[0];
                        var weights = gradients.mean(new long[] { 2, 3 }, keepdim: true);
                        var cam = functional.relu((weights * activations).sum(1, keepdim: true));
                        var upsampled = functional.interpolate(cam.detach(), new[] { height, width }, mode: InterpolationMode.Bilinear, align_corners: false);
                        chunks.Add(upsampled.expand(count, prepared.Inputs.shape[1], height, width).contiguous().MoveToOuterDisposeScope());
                        activations.Dispose();
                        activation = null;
                    }
                    return cat(chunks, 0);
                });
            }
            finally
            {
                hook.remove();
            }
        }
    }

    /// <summary>
    /// The named layer, or the last 2-D convolution in module order. A network that names its own layers (an ONNX graph:
    /// a node or output name) is asked by that name, and gives its last convolution by default.
    /// </summary>
    public static (string Name, Module<Tensor, Tensor> Module) FindLayer(ImageClassifier model, string? layer)
    {
        if (model.Network is INamedLayers layers)
        {
            var name = layer ?? layers.DefaultLayer
                ?? throw new ArgumentException($"model '{model.Spec.Name}' has no convolution for Grad-CAM; name a layer");
            return layers.Layer(name) is { } tapped ? (name, tapped)
                : throw new ArgumentException($"model '{model.Spec.Name}' has no layer '{name}' (layers are named by node or output: {string.Join(", ", layers.LayerNames.TakeLast(40))})");
        }
        var modules = model.Network.named_modules().ToArray();
        if (layer is not null)
        {
            var named = modules.FirstOrDefault(m => m.name == layer).module
                ?? throw new ArgumentException($"model '{model.Spec.Name}' has no layer '{layer}' (layers: {string.Join(", ", modules.Select(m => m.name).Take(40))})");
            return named is Module<Tensor, Tensor> hookable
                ? (layer, hookable)
                : throw new ArgumentException($"layer '{layer}' of model '{model.Spec.Name}' cannot be hooked for Grad-CAM");
        }
        var last = modules.LastOrDefault(m => m.module is Conv2d);
        return last.module is Module<Tensor, Tensor> convolution
            ? (last.name, convolution)
            : throw new ArgumentException($"model '{model.Spec.Name}' has no 2-D convolution for Grad-CAM; name a layer");
    }
}
