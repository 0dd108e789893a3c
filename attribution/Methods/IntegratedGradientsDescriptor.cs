using Saliency.Attribution.Quadrature;
using static Saliency.Attribution.Methods.MethodParameters;

namespace Saliency.Attribution.Methods;

/// <summary>Integrated Gradients (<see cref="IntegratedGradients"/>): a baseline, a step count or <c>auto</c>, a quadrature rule.</summary>
public sealed class IntegratedGradientsDescriptor : MethodDescriptor
{
    public const string MethodName = "ig", MaxSteps = "max_steps", Tolerance = "tolerance";

    public override string Name => MethodName;
    public override string Summary => "Integrated Gradients: gradients integrated along the straight path from a baseline to the image.";
    public override MethodNeeds Needs => MethodNeeds.Seed | MethodNeeds.ReferenceImages;

    public override IReadOnlyList<ParameterDefinition> Parameters { get; } =
    [
        new(Baseline, ParameterKind.Baseline, "black"),
        new(Steps, ParameterKind.Steps, "50"),
        new(Rule, ParameterKind.Rule, QuadratureRule.GaussLegendreName),
        new(MultiplyByInputs, ParameterKind.Flag, "true"),
        // steps: auto doubles the steps until the relative |delta| is within the tolerance, or the cap is reached.
        new(MaxSteps, ParameterKind.Count, Text(IntegratedGradientsOptions.DefaultMaxSteps)),
        new(Tolerance, ParameterKind.PositiveNumber, Text(0.01)),
    ];

    // The path means nothing without its baseline, steps and rule.
    public override IReadOnlyList<string> AlwaysNamed { get; } = [Baseline, Steps, Rule];

    public override IAttributionMethod Create(MethodArguments arguments) => new IntegratedGradients(Options(arguments));

    public static IntegratedGradientsOptions Options(MethodArguments arguments)
    {
        var auto = arguments.Text(Steps) == "auto";
        return new IntegratedGradientsOptions
        {
            Baseline = arguments.Baseline(Baseline),
            // Auto steps start at 16 and double.
            Steps = auto ? 16 : arguments.Integer(Steps),
            AutoSteps = auto,
            MaxSteps = arguments.Integer(MaxSteps),
            AutoTolerance = arguments.Number(Tolerance),
            Rule = QuadratureRule.Parse(arguments.Text(Rule)!),
            Score = arguments.Score,
            MultiplyByInputs = arguments.Flag(MultiplyByInputs),
            InternalBatchSize = arguments.Batch,
            Seed = arguments.Seed,
        };
    }

    public override MethodCost Cost(MethodArguments arguments, Lazy<Data.ImageShape> images) =>
        arguments.Text(Steps) == "auto" ? new MethodCost(Steps, "auto", arguments.Integer(MaxSteps)) : CountedBy(arguments, Steps);
}
