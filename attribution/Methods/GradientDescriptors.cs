namespace Saliency.Attribution.Methods;

/// <summary>The plain gradient: |∂f/∂x| (<see cref="VanillaGradient"/>).</summary>
public sealed class GradientDescriptor : MethodDescriptor
{
    public override string Name => "gradient";
    public override string Summary => "The magnitude of the score's gradient with respect to the input.";
    public override IAttributionMethod Create(MethodArguments arguments) => new VanillaGradient(absolute: true, arguments.Score, arguments.Batch);
}

/// <summary>The gradient times the input (<see cref="GradientTimesInput"/>).</summary>
public sealed class GradientTimesInputDescriptor : MethodDescriptor
{
    public override string Name => "gradient-x-input";
    public override string Summary => "The score's gradient multiplied by the input, element by element.";
    public override IAttributionMethod Create(MethodArguments arguments) => new GradientTimesInput(arguments.Score, arguments.Batch);
}
