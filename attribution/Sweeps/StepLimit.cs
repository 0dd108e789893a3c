using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// The most steps per image one trial may take: IG's steps (for <c>steps: auto</c>, the most its doubling
/// reaches), Blur IG's and Guided IG's steps, I-GOS iterations times its integration steps, iGOS++
/// iterations times its integration steps times its four games, SmoothGrad and VarGrad samples — the counts a
/// trial's outcomes record, each a forward and backward pass per image — and the forward passes of the
/// perturbation methods, occlusion's windows and RISE's masks, each counted as a step too. A cluster holds
/// every sweep to one limit so that a slip of the keyboard (<c>steps: [500000]</c>) cannot occupy its workers for days.
/// </summary>
public static class StepLimit
{
    public const int Default = 4096;

    /// <summary>Throws, naming the trial, the field, its value and the limit, when a trial of the spec would take more steps.</summary>
    /// <exception cref="ArgumentException">A trial exceeds <paramref name="maxSteps"/>.</exception>
    public static void Require(SweepSpec spec, int maxSteps)
    {
        // Only occlusion's cost depends on the images' size; other sweeps never look for it.
        var shape = new Lazy<ImageShape>(spec.DeclaredImageShape);
        foreach (var trial in spec.Trials)
        {
            TrialSteps? steps;
            try { steps = Steps(trial, shape); }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ArgumentException($"{spec.File}: trial {trial.Index} ({trial.Label}): {e.Message}", e);
            }
            if (steps is null || steps.Count <= maxSteps) continue;
            throw new ArgumentException(
                $"{spec.File}: trial {trial.Index} ({trial.Label}): methods.{trial.Method}.{steps.Field} = {steps.Value} " +
                $"comes to {steps.Count} steps per image, above this cluster's limit of {maxSteps} (silo option Saliency:MaxSteps, saliency silo --max-steps)");
        }
    }

    /// <summary>The field that sets a trial's steps per image, as written, and the steps it comes to.</summary>
    public sealed record TrialSteps(string Field, string Value, long Count);

    /// <param name="images">The shape of the sweep's images (<see cref="SweepSpec.DeclaredImageShape"/>).</param>
    /// <returns>Null for methods whose cost does not grow with a parameter (gradients, Grad-CAM).</returns>
    public static TrialSteps? Steps(Trial trial, ImageShape images) => Steps(trial, new Lazy<ImageShape>(images));

    static TrialSteps? Steps(Trial trial, Lazy<ImageShape> images)
    {
        var method = MethodCatalog.Get(trial.Method);
        return method.Cost(TrialMethod.Arguments(method, trial), images) is { } cost ? new TrialSteps(cost.Parameter, cost.Value, cost.Passes) : null;
    }
}
