using static Saliency.Attribution.Methods.MethodParameters;

namespace Saliency.Attribution.Methods;

/// <summary>The SmoothGrad family (<see cref="NoiseTunnel"/>): gradients of noisy copies of the image, aggregated.</summary>
public abstract class NoiseTunnelDescriptor : MethodDescriptor
{
    public override MethodNeeds Needs => MethodNeeds.Seed;

    private protected NoiseTunnelDescriptor() { }

    protected abstract NoiseAggregation Aggregation { get; }

    public override IReadOnlyList<ParameterDefinition> Parameters { get; } =
        [new(Samples, ParameterKind.Count, "50"), new(Noise, ParameterKind.Number, "0.15")];

    public override IAttributionMethod Create(MethodArguments arguments) => new NoiseTunnel(
        new VanillaGradient(absolute: false, arguments.Score, arguments.Batch), Aggregation, arguments.Integer(Samples), arguments.Number(Noise), arguments.Seed);

    public override MethodCost Cost(MethodArguments arguments, Lazy<Data.ImageShape> images) => CountedBy(arguments, Samples);
}

public sealed class SmoothGradDescriptor : NoiseTunnelDescriptor
{
    public override string Name => "smoothgrad";
    public override string Summary => "SmoothGrad: the mean gradient over noisy copies of the image.";
    protected override NoiseAggregation Aggregation => NoiseAggregation.SmoothGrad;
}

public sealed class SmoothGradSquaredDescriptor : NoiseTunnelDescriptor
{
    public override string Name => "smoothgrad-sq";
    public override string Summary => "SmoothGrad squared: the mean squared gradient over noisy copies of the image.";
    protected override NoiseAggregation Aggregation => NoiseAggregation.SmoothGradSquared;
}

public sealed class VarGradDescriptor : NoiseTunnelDescriptor
{
    public override string Name => "vargrad";
    public override string Summary => "VarGrad: the variance of the gradient over noisy copies of the image.";
    protected override NoiseAggregation Aggregation => NoiseAggregation.VarGrad;
}
