using System.Globalization;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Quadrature;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// Builds the attribution method a trial names, with the sweep's seed, score and batch size and the
/// defaults of <see cref="SweepParameters"/> for parameters the trial leaves out.
/// </summary>
public static class TrialMethod
{
    /// <param name="references">Where <c>expected:K</c> baselines draw references (the training data); called only by them.</param>
    /// <param name="batch">Images per pass: the spec's batch, or the size a worker chose for <c>batch: auto</c>.</param>
    public static IAttributionMethod Create(Trial trial, SweepSpec spec, Func<ImageCatalog> references, int batch)
    {
        var definitions = SweepParameters.For(trial.Method)
            ?? throw new ArgumentException($"unknown method '{trial.Method}' (known: {string.Join(", ", MethodCatalog.Names)})");
        string? Value(string name) => trial.Parameter(name) ?? definitions.FirstOrDefault(d => d.Name == name)?.Default;
        int? Integer(string name) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
        double? Number(string name) => Value(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : null;

        var defaults = new MethodSettings();
        var settings = new MethodSettings
        {
            Score = spec.Score,
            InternalBatchSize = batch,
            Seed = spec.Seed,
            Layer = Value(SweepParameters.Layer),
            NoiseSamples = Integer(SweepParameters.Samples) ?? defaults.NoiseSamples,
            NoiseLevel = Number(SweepParameters.Noise) ?? defaults.NoiseLevel,
            Igos = new IgosOptions
            {
                Iterations = Integer(SweepParameters.Iterations) ?? defaults.Igos.Iterations,
                MaskSize = Integer(SweepParameters.MaskSize),
                Baseline = trial.Method == "igos" ? Substrate.Parse(Value(SweepParameters.Baseline)!) : defaults.Igos.Baseline,
            },
            IgosPlusPlus = trial.Method == "igos-pp" ? new IgosPlusPlusOptions
            {
                Iterations = Integer(SweepParameters.Iterations)!.Value,
                MaskSize = Integer(SweepParameters.MaskSize),
                L1 = Number(SweepParameters.L1)!.Value,
                TotalVariation = Number(SweepParameters.TotalVariation)!.Value,
                Baseline = Substrate.Parse(Value(SweepParameters.Baseline)!),
            } : defaults.IgosPlusPlus,
            Occlusion = trial.Method == "occlusion" ? new OcclusionOptions
            {
                Window = Integer(SweepParameters.Window),
                Stride = Integer(SweepParameters.Stride),
                Fill = Substrate.Parse(Value(SweepParameters.Fill)!),
            } : defaults.Occlusion,
            Rise = trial.Method == "rise" ? new RiseOptions
            {
                Masks = Integer(SweepParameters.Masks)!.Value,
                Grid = Integer(SweepParameters.Grid)!.Value,
                Probability = double.Parse(Value(SweepParameters.Probability)!, CultureInfo.InvariantCulture),
                Fill = Substrate.Parse(Value(SweepParameters.Fill)!),
            } : defaults.Rise,
            BlurIntegratedGradients = trial.Method == "blur-ig" ? new BlurIntegratedGradientsOptions
            {
                MaxSigma = Number(SweepParameters.MaxSigma),
                Steps = Integer(SweepParameters.Steps)!.Value,
                GradStep = Number(SweepParameters.GradStep)!.Value,
            } : defaults.BlurIntegratedGradients,
            GuidedIntegratedGradients = trial.Method == "guided-ig" ? new GuidedIntegratedGradientsOptions
            {
                Baseline = Baseline.Parse(Value(SweepParameters.Baseline)!, references),
                Steps = Integer(SweepParameters.Steps)!.Value,
                Fraction = Number(SweepParameters.Fraction)!.Value,
                MaxDistance = Number(SweepParameters.MaxDistance)!.Value,
                Anchors = Integer(SweepParameters.Anchors)!.Value,
            } : defaults.GuidedIntegratedGradients,
        };
        var integratedGradients = trial.Method == "ig" ? IntegratedGradientsOptions(Value, spec, references, batch) : null;
        return MethodCatalog.Create(trial.Method, settings, integratedGradients);
    }

    static IntegratedGradientsOptions IntegratedGradientsOptions(Func<string, string?> value, SweepSpec spec, Func<ImageCatalog> references, int batch)
    {
        var steps = value(SweepParameters.Steps)!;
        var auto = steps == "auto";
        return new IntegratedGradientsOptions
        {
            Baseline = Baseline.Parse(value(SweepParameters.Baseline)!, references),
            // Auto steps start where the command line's --steps auto starts.
            Steps = auto ? 16 : int.Parse(steps, CultureInfo.InvariantCulture),
            AutoSteps = auto,
            Rule = QuadratureRule.Parse(value(SweepParameters.Rule)!),
            Score = spec.Score,
            MultiplyByInputs = value(SweepParameters.MultiplyByInputs) != "false",
            InternalBatchSize = batch,
            Seed = spec.Seed,
        };
    }
}
