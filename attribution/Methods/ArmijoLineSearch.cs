using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>An accepted step: the point reached, its objective, what the objective computed on the way, and the step size.</summary>
public sealed record ArmijoStep<T>(Tensor Point, double Objective, T State, double Size);

/// <summary>
/// The revised Armijo line search of I-GOS (Qi, Khorram and Li 2020), which iGOS++ keeps: from
/// <see cref="InitialStep"/>, shrunk by <see cref="Decay"/>, the first step t whose point clamp(p − t·d, 0, 1)
/// has objective ≤ J(p) − t·c·‖d‖². Unlike the references, no step is taken when even the smallest fails.
/// </summary>
public sealed record ArmijoLineSearch(double InitialStep, double Decay, double Constant, double MinimumStep)
{
    /// <returns>The accepted step, its point in the caller's dispose scope; null when none passes.</returns>
    public ArmijoStep<T>? Search<T>(Tensor point, Tensor direction, double current, Func<Tensor, (double Objective, T State)> objective)
    {
        var decrease = Constant * direction.pow(2).sum().to(ScalarType.Float64).item<double>();
        for (var step = InitialStep; step >= MinimumStep; step *= Decay)
        {
            var candidate = (point - step * direction).clamp(0, 1);
            var (value, state) = objective(candidate);
            if (value <= current - step * decrease) return new ArmijoStep<T>(candidate, value, state, step);
        }
        return null;
    }
}
