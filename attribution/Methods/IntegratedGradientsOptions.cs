using Saliency.Attribution.Baselines;
using Saliency.Attribution.Quadrature;

namespace Saliency.Attribution.Methods;

/// <summary>
/// Options of Integrated Gradients, named as in Captum. <see cref="AutoSteps"/> doubles the steps, from
/// <see cref="Steps"/>, until |delta| ≤ <see cref="AutoTolerance"/> · |F(x) − F(x′)| or <see cref="MaxSteps"/>.
/// </summary>
public sealed record IntegratedGradientsOptions
{
    public const int DefaultMaxSteps = 1024;

    public required Baseline Baseline { get; init; }
    public int Steps { get; init; } = 50;
    public bool AutoSteps { get; init; }
    public double AutoTolerance { get; init; } = 0.01;
    public int MaxSteps { get; init; } = DefaultMaxSteps;
    public QuadratureRule Rule { get; init; } = QuadratureRule.Default;
    public ScoreKind Score { get; init; } = ScoreKind.Logit;
    public bool MultiplyByInputs { get; init; } = true;
    /// <summary>Interpolated images per forward and backward pass, across images and steps together.</summary>
    public int InternalBatchSize { get; init; } = 64;
    public long Seed { get; init; }

    public void Validate()
    {
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), $"steps must be at least 1, got {Steps}");
        if (Rule.Name == QuadratureRule.RiemannTrapezoid && Steps < 2)
            throw new ArgumentOutOfRangeException(nameof(Steps), $"steps must be at least 2 for {QuadratureRule.RiemannTrapezoid}, got {Steps}");
        if (AutoSteps && MaxSteps < Steps)
            throw new ArgumentOutOfRangeException(nameof(MaxSteps), $"max steps {MaxSteps} is below the starting steps {Steps}");
        if (AutoSteps && !(AutoTolerance > 0))
            throw new ArgumentOutOfRangeException(nameof(AutoTolerance), $"auto-steps tolerance must be positive, got {AutoTolerance}");
        if (InternalBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(InternalBatchSize), $"internal batch size must be at least 1, got {InternalBatchSize}");
    }
}
