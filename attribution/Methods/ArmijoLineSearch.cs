using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>
/// A step of the line search: the point reached, its objective, what the objective computed on the way, the
/// step size, and whether it passed the Armijo test (false for a failed smallest step taken anyway).
/// </summary>
public sealed record ArmijoStep<T>(Tensor Point, double Objective, T State, double Size, bool Passed = true);

/// <summary>
/// The revised Armijo line search of I-GOS (Qi, Khorram and Li 2020), which iGOS++ keeps: from
/// <see cref="InitialStep"/>, shrunk by <see cref="Decay"/>, the first step t whose point clamp(p − t·d, 0, 1)
/// has objective ≤ J(p) − t·c·‖d‖². When every step down to <see cref="MinimumStep"/> fails, no step is taken,
/// unless <see cref="TakeFailedSteps"/>: then, as the I-GOS reference's loop does, the search tries one more
/// step, the first below the minimum, and takes it whether it passes or not.
/// </summary>
public sealed record ArmijoLineSearch(double InitialStep, double Decay, double Constant, double MinimumStep)
{
    public bool TakeFailedSteps { get; init; }

    /// <returns>The step taken, its point in the caller's dispose scope; null when none passes and failed steps are not taken.</returns>
    public ArmijoStep<T>? Search<T>(Tensor point, Tensor direction, double current, Func<Tensor, (double Objective, T State)> objective)
    {
        var decrease = Constant * direction.pow(2).sum().to(ScalarType.Float64).item<double>();
        for (var step = InitialStep; step >= MinimumStep || TakeFailedSteps; step *= Decay)
        {
            var candidate = (point - step * direction).clamp(0, 1);
            var (value, state) = objective(candidate);
            var passed = value <= current - step * decrease;
            if (passed || step < MinimumStep) return new ArmijoStep<T>(candidate, value, state, step, passed);
        }
        return null;
    }
}
