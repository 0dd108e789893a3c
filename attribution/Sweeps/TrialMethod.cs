using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;

namespace Saliency.Attribution.Sweeps;

/// <summary>Builds the attribution method a trial names, with the sweep's seed and score, and the batch a worker chose.</summary>
public static class TrialMethod
{
    /// <param name="references">Where <c>expected:K</c> baselines draw references (the training data); called only by them.</param>
    /// <param name="batch">Images per pass: the spec's batch, or the size a worker chose for <c>batch: auto</c>.</param>
    public static IAttributionMethod Create(Trial trial, SweepSpec spec, Func<ImageCatalog> references, int batch)
    {
        var method = MethodCatalog.Get(trial.Method);
        return method.Create(Arguments(method, trial, spec.Score, batch, spec.Seed, references));
    }

    /// <summary>The trial's arguments: each parameter as the trial gives it, else the method's default.</summary>
    public static MethodArguments Arguments(MethodDescriptor method, Trial trial, ScoreKind score = ScoreKind.Logit, int batch = 64, long seed = 0,
        Func<ImageCatalog>? references = null) =>
        MethodArguments.For(method, trial.Parameter, score, batch, seed, references);
}
