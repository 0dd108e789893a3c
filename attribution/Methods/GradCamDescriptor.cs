using static Saliency.Attribution.Methods.MethodParameters;

namespace Saliency.Attribution.Methods;

/// <summary>Grad-CAM (<see cref="GradCam"/>) at a layer: a module path, or an ONNX node's name; the last convolution by default.</summary>
public sealed class GradCamDescriptor : MethodDescriptor
{
    public override string Name => "gradcam";
    public override string Summary => "Grad-CAM: a layer's activations weighted by their pooled gradients, upsampled to the image.";
    public override MethodNeeds Needs => MethodNeeds.Layer;
    public override IReadOnlyList<ParameterDefinition> Parameters { get; } = [new(Layer, ParameterKind.Name, null)];
    public override IAttributionMethod Create(MethodArguments arguments) => new GradCam(arguments.Text(Layer), arguments.Score, arguments.Batch);
}
