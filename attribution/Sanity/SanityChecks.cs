using MathNet.Numerics.Statistics;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Models;
using Saliency.Attribution.Randomness;

namespace Saliency.Attribution.Sanity;

/// <summary>
/// The sanity checks a spec asks for (<c>sanity: [model-randomisation, random-logit]</c>), run on the workers: random-logit
/// beside the trial's attribution, each step of the model-randomisation cascade as a work item of its own:
/// <list type="bullet">
/// <item><b>model-randomisation</b> (Adebayo et al. 2018): the method again on a copy of the model whose layers are
/// re-drawn one after another from the output down (<see cref="Sanity.ModelRandomisation"/>), explaining the same class;</item>
/// <item><b>random-logit</b> (Sixt et al. 2020, "When explanations lie"): the method for a random other class, drawn per
/// image from the sweep's seed.</item>
/// </list>
/// A map that depends on the model changes under both: a check passes when the mean rank correlation over the images,
/// at full randomisation or for the random class, is below <see cref="PassBelow"/>.
/// </summary>
public static class SanityChecks
{
    public const string ModelRandomisationName = "model-randomisation", RandomLogitName = "random-logit";
    public static readonly IReadOnlyList<string> Names = [ModelRandomisationName, RandomLogitName];

    /// <summary>
    /// The pass threshold. Adebayo et al. judge by eye; this project fixes it at 0.5: a map that keeps more than half of
    /// its rank order once every weight is random, or for another class, follows the input more than the model.
    /// </summary>
    public const double PassBelow = 0.5;

    /// <summary>Whether a trial whose maps keep a mean rank correlation of <paramref name="meanRho"/> passes a check.</summary>
    public static bool Passes(double meanRho) => meanRho < PassBelow;

    /// <summary>
    /// Step <paramref name="step"/> (from 1) of the model-randomisation cascade on its own, as a work item computes it: a
    /// fresh copy of the model with the first <paramref name="step"/> of <paramref name="steps"/> re-drawn, as the cascade
    /// would have drawn them (each parameter is seeded by the step and its name, so the order of drawing does not matter).
    /// </summary>
    /// <param name="steps">The model's cascade (<see cref="Sanity.ModelRandomisation.Layers"/>), output first.</param>
    /// <returns>Each image's ρ with its original map.</returns>
    public static double[] RandomisationStep(IAttributionMethod method, Func<ImageClassifier> copy, IReadOnlyList<IReadOnlyList<string>> steps,
        ImageSet images, IReadOnlyList<ImageAttribution> original, long seed, int step)
    {
        if (step < 1 || step > steps.Count)
            throw new ArgumentOutOfRangeException(nameof(step), $"the model's cascade has steps 1-{steps.Count}, not {step}");
        using var randomised = copy();
        for (var s = 0; s < step; s++) Sanity.ModelRandomisation.Randomise(randomised.Network, steps[s], seed + s);
        return Correlations(method, randomised, images, original, original.Select(a => a.Target).ToArray());
    }

    /// <summary>Each image's ρ with the map of a random other class, drawn per image from <paramref name="seed"/>.</summary>
    public static double[] RandomLogit(IAttributionMethod method, ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> original, long seed)
    {
        var classes = model.Classes ?? throw new InvalidOperationException($"model '{model.Spec.Name}' has not been probed for its classes");
        var others = images.Keys.Select((key, i) => OtherClass(original[i].Target, classes, StableSeed.Random(seed, key, RandomLogitName))).ToArray();
        return Correlations(method, model, images, original, others);
    }

    static double[] Correlations(IAttributionMethod method, ImageClassifier model, ImageSet images, IReadOnlyList<ImageAttribution> original, int[] targets)
    {
        var maps = method.Attribute(model, images, Target.PerImage(targets));
        return images.Keys.Select((_, i) => RankCorrelation(original[i].Map, maps[i].Map)).ToArray();
    }

    /// <summary>Spearman's ρ between |a| and |b|; 1 when both are constant and equal, 0 when only one is constant.</summary>
    public static double RankCorrelation(float[] a, float[] b)
    {
        var x = a.Select(v => Math.Abs((double)v)).ToArray();
        var y = b.Select(v => Math.Abs((double)v)).ToArray();
        bool Constant(double[] values) => values.All(v => v == values[0]);
        if (Constant(x) || Constant(y)) return Constant(x) && Constant(y) && x.SequenceEqual(y) ? 1 : 0;
        return Correlation.Spearman(x, y);
    }

    static int OtherClass(int target, int classes, Random random)
    {
        if (classes < 2) throw new InvalidOperationException("the random-logit check needs a model with at least two classes");
        var other = random.Next(classes - 1);
        return other >= target ? other + 1 : other;
    }
}
