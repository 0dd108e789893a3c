using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using Saliency.Attribution.Randomness;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>
/// Options of iGOS++, with the defaults of the reference (khorrams/IGOS_pp: <c>iGOS_pp</c> in methods.py,
/// <c>line_search</c> and <c>bilateral_tv_norm</c> in methods_helper.py).
/// </summary>
public sealed record IgosPlusPlusOptions
{
    public const int DefaultIterations = 15;
    public const double DefaultL1 = 1, DefaultTotalVariation = 20;
    /// <summary>Paths integrated per iteration: deletion and insertion, each of its own mask and of the two masks' product.</summary>
    public const int Games = 4;

    /// <summary>Side of the low-resolution masks; by default the reference's 28 cells, or the input side when smaller (<see cref="LowResolutionMask.DefaultSize"/>).</summary>
    public int? MaskSize { get; init; }

    /// <summary>The mask side used on an input of this size.</summary>
    public int ResolveMaskSize(long height, long width) => MaskSize ?? LowResolutionMask.DefaultSize(height, width);
    /// <summary>What deletion fades to and insertion starts from; by default a blur with σ scaled as 50 on a 224-pixel side.</summary>
    public Substrate Baseline { get; init; } = Substrate.Blur;
    public int Iterations { get; init; } = DefaultIterations;
    public int IntegrationSteps { get; init; } = 20;
    /// <summary>Standard deviation of the noise added at each integration point, in the model's normalised space.</summary>
    public double Noise { get; init; } = 0.2;
    public double L1 { get; init; } = DefaultL1;
    /// <summary>Weight of the bilateral total variation (the reference's L2).</summary>
    public double TotalVariation { get; init; } = DefaultTotalVariation;
    public double TotalVariationBeta { get; init; } = 2;
    /// <summary>σ of the bilateral weights exp(−Δx²/σ), Δx in the model's normalised space.</summary>
    public double BilateralSigma { get; init; } = 0.01;
    public double InitialStep { get; init; } = 1000;
    public double StepDecay { get; init; } = 0.2;
    public double ArmijoConstant { get; init; } = 1e-4;
    public double MinimumStep { get; init; } = 1e-5;
    public long Seed { get; init; }

    /// <summary>Forward and backward passes per image: <see cref="Games"/> paths of the integration steps at each iteration.</summary>
    public long StepsPerImage => (long)Iterations * IntegrationSteps * Games;

    public void Validate()
    {
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), $"iGOS++ iterations must be at least 1, got {Iterations}");
        if (IntegrationSteps < 1) throw new ArgumentOutOfRangeException(nameof(IntegrationSteps), $"iGOS++ integration steps must be at least 1, got {IntegrationSteps}");
        if (MaskSize is < 1) throw new ArgumentOutOfRangeException(nameof(MaskSize), $"iGOS++ mask size must be at least 1, got {MaskSize}");
        if (L1 < 0 || TotalVariation < 0) throw new ArgumentOutOfRangeException(nameof(L1), $"iGOS++ coefficients must not be negative, got l1 {L1}, tv {TotalVariation}");
        if (!(BilateralSigma > 0)) throw new ArgumentOutOfRangeException(nameof(BilateralSigma), $"iGOS++ bilateral σ must be positive, got {BilateralSigma}");
        if (!(StepDecay is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(StepDecay), $"iGOS++ step decay must be in (0, 1), got {StepDecay}");
    }
}

/// <summary>One image's optimised masks, deletion times insertion, at low resolution, and its iterations.</summary>
public sealed record IgosPlusPlusTrace(float[] Mask, int MaskSize, IReadOnlyList<IgosStep> Steps);

/// <summary>
/// The objective iGOS++ minimises for one image over a deletion mask D and an insertion mask I ([1, 1, s, s]),
/// with U = upsampled D, V = upsampled I and x̄ the baseline: ½·(del(U) + ins(V) + del(U·V) + ins(U·V)) +
/// l1·mean|1 − D·I| + tv·BTV(D·I), where del(M) is the mean probability of the target along the
/// <see cref="MaskPath"/> from x̄ to x·M + x̄·(1 − M) and ins(M) minus the mean along the path from x to
/// x̄·M + x·(1 − M). Both masks are 1 where the image is kept; the salient pixels are those of small D·I.
/// </summary>
public sealed class IgosPlusPlusObjective
{
    readonly IgosPlusPlusOptions options;
    readonly Tensor image, baseline;
    readonly MaskPath path;
    readonly BilateralTotalVariation bilateral;

    /// <param name="image">[1, C, H, W] pixels.</param>
    /// <param name="baseline">[1, C, H, W] pixels.</param>
    public IgosPlusPlusObjective(ImageClassifier model, Tensor image, Tensor baseline, long target, IgosPlusPlusOptions options)
    {
        (this.options, this.image, this.baseline) = (options, image, baseline);
        path = new MaskPath(model, image, target, options.IntegrationSteps, options.Noise, IgosPlusPlusOptions.Games);
        bilateral = new BilateralTotalVariation(image, model.Spec.Std, options.TotalVariationBeta, options.BilateralSigma);
    }

    /// <summary>The objective as a tensor, with noise at every integration point when <paramref name="noise"/> is given.</summary>
    public Tensor Evaluate(Tensor deletion, Tensor insertion, Generator? noise = null)
    {
        var (u, v) = (Up(deletion), Up(insertion));
        var points = cat(new[]
        {
            path.Points(image, baseline, u), path.Points(image, baseline, u * v),
            path.Points(baseline, image, v), path.Points(baseline, image, u * v),
        }, 0);
        if (noise is not null) points += path.Noise(IgosPlusPlusOptions.Games, noise);
        var scores = path.MeanScores(points);
        // The reference halves the games' gradients to balance them against the regulariser; the objective is halved with them.
        var games = 0.5 * (scores[0] + scores[1] - scores[2] - scores[3]);
        var both = deletion * insertion;
        return games + options.L1 * (1 - both).abs().mean() + options.TotalVariation * bilateral.Of(both, Up(both));
    }

    /// <summary>The objective without noise, as the line search compares it.</summary>
    public double Value(Tensor deletion, Tensor insertion)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Evaluate(deletion, insertion).to(ScalarType.Float64).item<double>();
    }

    /// <summary>∂J/∂D and ∂J/∂I, with noise at the integration points when <paramref name="noise"/> is given: the integrated gradients of the four games plus the regulariser's gradient.</summary>
    public (Tensor Deletion, Tensor Insertion) Gradient(Tensor deletion, Tensor insertion, Generator? noise = null)
    {
        using var grad = enable_grad();
        var (d, i) = (deletion.detach().requires_grad_(true), insertion.detach().requires_grad_(true));
        var gradients = autograd.grad(new[] { Evaluate(d, i, noise) }, new[] { d, i });
        return (gradients[0].detach(), gradients[1].detach());
    }

    Tensor Up(Tensor mask) => LowResolutionMask.Upsample(mask, image.shape[2], image.shape[3]);
}

/// <summary>
/// iGOS++ (Khorram, Lawson and Fuxin, "iGOS++: Integrated Gradient Optimized Saliency by Bilateral Perturbations",
/// ACM CHIL 2021), following the reference (khorrams/IGOS_pp) with its line-search optimiser: a deletion mask and an
/// insertion mask, both initially ones at low resolution, descend together along the gradient of
/// <see cref="IgosPlusPlusObjective"/> (integrated gradients of deletion and insertion, with fresh noise), one
/// <see cref="ArmijoLineSearch"/> step for both. The map is 1 − D·I, upsampled. Where it differs from the
/// reference: the line search compares the objective without noise, halved as its gradient is, and a step that
/// fails at the minimum step size is not taken, so the objective never rises.
/// </summary>
public sealed class IgosPlusPlus(IgosPlusPlusOptions? options = null) : IAttributionMethod
{
    public IgosPlusPlusOptions Options { get; } = options ?? new IgosPlusPlusOptions();

    public string Name => "igos-pp";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target)
    {
        Options.Validate();
        return OptimisedMaskMaps.Attribute(model, images, target, Options.Baseline, (int)Options.StepsPerImage,
            (x, baseline, label, key) => Optimise(model, x, baseline, label, key).UpsampledMask);
    }

    /// <summary>The optimisation of one image, exposed with its objective trace.</summary>
    public IgosPlusPlusTrace Trace(ImageClassifier model, ImageSet image, Target target)
    {
        Options.Validate();
        return OptimisedMaskMaps.Trace(model, image, target, Options.Baseline, (x, baseline, label, key) => Optimise(model, x, baseline, label, key).Trace);
    }

    (Tensor UpsampledMask, IgosPlusPlusTrace Trace) Optimise(ImageClassifier model, Tensor x, Tensor baseline, long target, int key)
    {
        var o = Options;
        var (height, width) = (x.shape[2], x.shape[3]);
        var size = o.ResolveMaskSize(height, width);
        var objective = new IgosPlusPlusObjective(model, x, baseline, target, o);
        var search = new ArmijoLineSearch(o.InitialStep, o.StepDecay, o.ArmijoConstant, o.MinimumStep);
        using var generator = new Generator(StableSeed.For(o.Seed, key, Name));

        // Both masks move as one point [2, 1, s, s] with one step size, as the reference's line search takes them.
        var masks = ones(2, 1, size, size, x.dtype, x.device);
        double Objective(Tensor m) => objective.Value(m.narrow(0, 0, 1), m.narrow(0, 1, 1));
        var current = Objective(masks);
        var steps = new List<IgosStep>();
        for (var iteration = 0; iteration < o.Iterations; iteration++)
        {
            using var iterationScope = NewDisposeScope();
            var (deletion, insertion) = objective.Gradient(masks.narrow(0, 0, 1), masks.narrow(0, 1, 1), generator);
            var accepted = search.Search(masks, cat(new[] { deletion, insertion }, 0), current, candidate => (Objective(candidate), 0));
            steps.Add(new IgosStep(current, accepted?.Objective ?? current, accepted?.Size ?? 0, accepted is not null));
            if (accepted is not null) (masks, current) = (accepted.Point.MoveToOuterDisposeScope(), accepted.Objective);
        }
        var mask = masks.narrow(0, 0, 1) * masks.narrow(0, 1, 1);
        var up = LowResolutionMask.Upsample(mask, height, width).MoveToOuterDisposeScope();
        return (up, new IgosPlusPlusTrace(mask.to(float32).flatten().ToHostArray<float>(), size, steps));
    }
}
