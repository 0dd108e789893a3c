using static Saliency.Attribution.Methods.MethodParameters;

namespace Saliency.Attribution.Methods;

/// <summary>Blur IG (<see cref="BlurIntegratedGradients"/>): the path from a blurred image; max_sigma follows the image's side when left out.</summary>
public sealed class BlurIntegratedGradientsDescriptor : MethodDescriptor
{
    public const string MaxSigma = "max_sigma", GradStep = "grad_step";

    public override string Name => "blur-ig";
    public override string Summary => "Blur IG: gradients integrated along the path from a fully blurred image to the image.";

    public override IReadOnlyList<ParameterDefinition> Parameters { get; } =
    [
        new(MaxSigma, ParameterKind.PositiveNumber, null), new(Steps, ParameterKind.Count, Text(BlurIntegratedGradientsOptions.DefaultSteps)),
        new(GradStep, ParameterKind.PositiveNumber, Text(BlurIntegratedGradientsOptions.DefaultGradStep)),
    ];

    public override IAttributionMethod Create(MethodArguments arguments) => new BlurIntegratedGradients(new BlurIntegratedGradientsOptions
    {
        MaxSigma = arguments.OptionalNumber(MaxSigma),
        Steps = arguments.Integer(Steps),
        GradStep = arguments.Number(GradStep),
        Score = arguments.Score,
        InternalBatchSize = arguments.Batch,
    });

    public override MethodCost Cost(MethodArguments arguments, Lazy<Data.ImageShape> images) => CountedBy(arguments, Steps);
}

/// <summary>Guided IG (<see cref="GuidedIntegratedGradients"/>): an adaptive path that moves the features of smallest gradient first.</summary>
public sealed class GuidedIntegratedGradientsDescriptor : MethodDescriptor
{
    public const string Fraction = "fraction", MaxDistance = "max_dist", Anchors = "anchors";

    public override string Name => "guided-ig";
    public override string Summary => "Guided IG: integrated gradients along a path that moves the features of smallest gradient first.";
    public override MethodNeeds Needs => MethodNeeds.Seed;

    public override IReadOnlyList<ParameterDefinition> Parameters { get; } =
    [
        new(Baseline, ParameterKind.Baseline, GuidedIntegratedGradientsOptions.DefaultBaseline),
        new(Steps, ParameterKind.Count, Text(GuidedIntegratedGradientsOptions.DefaultSteps)),
        new(Fraction, ParameterKind.Fraction, Text(GuidedIntegratedGradientsOptions.DefaultFraction)),
        new(MaxDistance, ParameterKind.Fraction, Text(GuidedIntegratedGradientsOptions.DefaultMaxDistance)),
        new(Anchors, ParameterKind.NonNegativeCount, Text(GuidedIntegratedGradientsOptions.DefaultAnchors)),
    ];

    // The path means nothing without its baseline.
    public override IReadOnlyList<string> AlwaysNamed { get; } = [Baseline];

    public override IAttributionMethod Create(MethodArguments arguments) => new GuidedIntegratedGradients(new GuidedIntegratedGradientsOptions
    {
        Baseline = arguments.Baseline(Baseline),
        Steps = arguments.Integer(Steps),
        Fraction = arguments.Number(Fraction),
        MaxDistance = arguments.Number(MaxDistance),
        Anchors = arguments.Integer(Anchors),
        Score = arguments.Score,
        InternalBatchSize = arguments.Batch,
        Seed = arguments.Seed,
    });

    // Anchors share the steps out among segments; they add no passes.
    public override MethodCost Cost(MethodArguments arguments, Lazy<Data.ImageShape> images) => CountedBy(arguments, Steps);
}
