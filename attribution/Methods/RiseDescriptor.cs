using static Saliency.Attribution.Methods.MethodParameters;

namespace Saliency.Attribution.Methods;

/// <summary>RISE (<see cref="Rise"/>): random low-resolution masks, weighted by the score each leaves.</summary>
public sealed class RiseDescriptor : MethodDescriptor
{
    public const string Masks = "masks", Grid = "grid", Probability = "probability";

    public override string Name => "rise";
    public override string Summary => "RISE: the mean of random masks, each weighted by the score of the image it reveals.";
    public override MethodNeeds Needs => MethodNeeds.Seed;

    public override IReadOnlyList<ParameterDefinition> Parameters { get; } =
    [
        new(Masks, ParameterKind.Count, Text(RiseOptions.DefaultMasks)), new(Grid, ParameterKind.Count, Text(RiseOptions.DefaultGrid)),
        new(Probability, ParameterKind.Probability, Text(RiseOptions.DefaultProbability)), new(Fill, ParameterKind.Substrate, RiseOptions.DefaultFill),
    ];

    public override IAttributionMethod Create(MethodArguments arguments) => new Rise(new RiseOptions
    {
        Masks = arguments.Integer(Masks),
        Grid = arguments.Integer(Grid),
        Probability = arguments.Number(Probability),
        Fill = arguments.Substrate(Fill),
        Seed = arguments.Seed,
    }, arguments.Score, arguments.Batch);

    public override MethodCost Cost(MethodArguments arguments, Lazy<Data.ImageShape> images) => CountedBy(arguments, Masks);
}
