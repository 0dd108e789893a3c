namespace Saliency.Attribution.Methods;

/// <summary>Settings a method may use beyond Integrated Gradients' own options.</summary>
public sealed record MethodSettings
{
    public ScoreKind Score { get; init; } = ScoreKind.Logit;
    public int InternalBatchSize { get; init; } = 64;
    public long Seed { get; init; }
    /// <summary>Grad-CAM's layer; the last convolution when null.</summary>
    public string? Layer { get; init; }
    /// <summary>Noisy copies per image of the SmoothGrad family.</summary>
    public int NoiseSamples { get; init; } = 50;
    /// <summary>Noise standard deviation of the SmoothGrad family, in [0, 1] pixel units.</summary>
    public double NoiseLevel { get; init; } = 0.15;
    public IgosOptions Igos { get; init; } = new();
    /// <summary>iGOS++'s options; its seed is <see cref="Seed"/>.</summary>
    public IgosPlusPlusOptions IgosPlusPlus { get; init; } = new();
    public OcclusionOptions Occlusion { get; init; } = new();
    /// <summary>RISE's options; its seed is <see cref="Seed"/>.</summary>
    public RiseOptions Rise { get; init; } = new();
    /// <summary>Blur IG's options; its score and batch size are <see cref="Score"/> and <see cref="InternalBatchSize"/>.</summary>
    public BlurIntegratedGradientsOptions BlurIntegratedGradients { get; init; } = new();
    /// <summary>Guided IG's options; its score, batch size and seed are this record's.</summary>
    public GuidedIntegratedGradientsOptions GuidedIntegratedGradients { get; init; } = new();
}

/// <summary>Creates methods by the names users write in commands and sweep files.</summary>
public static class MethodCatalog
{
    public static IReadOnlyList<string> Names { get; } =
        new[] { "ig", "gradient", "gradient-x-input", "smoothgrad", "smoothgrad-sq", "vargrad", "gradcam", "igos", "igos-pp", "occlusion", "rise", "blur-ig", "guided-ig", "random", "edge", "noop" };

    /// <param name="integratedGradients">Options of <c>ig</c>; required for it, ignored by the others.</param>
    public static IAttributionMethod Create(string name, MethodSettings settings, IntegratedGradientsOptions? integratedGradients = null)
    {
        IAttributionMethod Noisy(NoiseAggregation aggregation) => new NoiseTunnel(
            new VanillaGradient(absolute: false, settings.Score, settings.InternalBatchSize), aggregation, settings.NoiseSamples, settings.NoiseLevel, settings.Seed);

        return name switch
        {
            "ig" => new IntegratedGradients(integratedGradients ?? throw new ArgumentException("method 'ig' needs its options (baseline, steps, rule)")),
            "gradient" => new VanillaGradient(absolute: true, settings.Score, settings.InternalBatchSize),
            "gradient-x-input" => new GradientTimesInput(settings.Score, settings.InternalBatchSize),
            "smoothgrad" => Noisy(NoiseAggregation.SmoothGrad),
            "smoothgrad-sq" => Noisy(NoiseAggregation.SmoothGradSquared),
            "vargrad" => Noisy(NoiseAggregation.VarGrad),
            "gradcam" => new GradCam(settings.Layer, settings.Score, settings.InternalBatchSize),
            "igos" => new Igos(settings.Igos with { Seed = settings.Seed }),
            "igos-pp" => new IgosPlusPlus(settings.IgosPlusPlus with { Seed = settings.Seed }),
            "occlusion" => new Occlusion(settings.Occlusion, settings.Score, settings.InternalBatchSize),
            "rise" => new Rise(settings.Rise with { Seed = settings.Seed }, settings.Score, settings.InternalBatchSize),
            "blur-ig" => new BlurIntegratedGradients(settings.BlurIntegratedGradients with { Score = settings.Score, InternalBatchSize = settings.InternalBatchSize }),
            "guided-ig" => new GuidedIntegratedGradients(
                settings.GuidedIntegratedGradients with { Score = settings.Score, InternalBatchSize = settings.InternalBatchSize, Seed = settings.Seed }),
            "random" => new RandomMap(settings.Seed),
            "edge" => new EdgeMap(),
            "noop" => new NoopMap(),
            _ => throw new ArgumentException($"unknown method '{name}' (known: {string.Join(", ", Names)})"),
        };
    }
}
