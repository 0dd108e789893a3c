using static Saliency.Attribution.Methods.MethodParameters;

namespace Saliency.Attribution.Methods;

/// <summary>I-GOS (<see cref="Igos"/>): a mask optimised along integrated gradients. Its baseline is a substrate.</summary>
public sealed class IgosDescriptor : MethodDescriptor
{
    public override string Name => "igos";
    public override string Summary => "I-GOS: a low-resolution mask optimised with integrated gradients as its descent direction.";
    public override MethodNeeds Needs => MethodNeeds.Seed;

    // blur:6.25:7 is the reference's 7×7 blur on 28-pixel images; the mask's side follows the image's when left out.
    public override IReadOnlyList<ParameterDefinition> Parameters { get; } =
        [new(Iterations, ParameterKind.Count, "15"), new(MaskSize, ParameterKind.Count, null), new(Baseline, ParameterKind.Substrate, Metrics.Substrate.Blur.Name)];

    public override IAttributionMethod Create(MethodArguments arguments) => new Igos(Options(arguments));

    static IgosOptions Options(MethodArguments arguments) => new()
    {
        Iterations = arguments.Integer(Iterations),
        MaskSize = arguments.OptionalInteger(MaskSize),
        Baseline = arguments.Substrate(Baseline),
        Seed = arguments.Seed,
    };

    public override MethodCost Cost(MethodArguments arguments, Lazy<Data.ImageShape> images) =>
        new(Iterations, arguments.Text(Iterations)!, (long)arguments.Integer(Iterations) * Options(arguments).IntegrationSteps);
}

/// <summary>iGOS++ (<see cref="IgosPlusPlus"/>): I-GOS with a deletion and an insertion mask, weighed by l1 and bilateral TV.</summary>
public sealed class IgosPlusPlusDescriptor : MethodDescriptor
{
    public const string L1 = "l1", TotalVariation = "tv";

    public override string Name => "igos-pp";
    public override string Summary => "iGOS++: I-GOS optimising deletion and insertion masks together, with area and bilateral total variation terms.";
    public override MethodNeeds Needs => MethodNeeds.Seed;

    public override IReadOnlyList<ParameterDefinition> Parameters { get; } =
    [
        new(Iterations, ParameterKind.Count, Text(IgosPlusPlusOptions.DefaultIterations)), new(MaskSize, ParameterKind.Count, null),
        new(L1, ParameterKind.Number, Text(IgosPlusPlusOptions.DefaultL1)),
        new(TotalVariation, ParameterKind.Number, Text(IgosPlusPlusOptions.DefaultTotalVariation)),
        new(Baseline, ParameterKind.Substrate, Metrics.Substrate.Blur.Name),
    ];

    public override IAttributionMethod Create(MethodArguments arguments) => new IgosPlusPlus(Options(arguments));

    static IgosPlusPlusOptions Options(MethodArguments arguments) => new()
    {
        Iterations = arguments.Integer(Iterations),
        MaskSize = arguments.OptionalInteger(MaskSize),
        L1 = arguments.Number(L1),
        TotalVariation = arguments.Number(TotalVariation),
        Baseline = arguments.Substrate(Baseline),
        Seed = arguments.Seed,
    };

    public override MethodCost Cost(MethodArguments arguments, Lazy<Data.ImageShape> images) =>
        new(Iterations, arguments.Text(Iterations)!, Options(arguments).StepsPerImage);
}
