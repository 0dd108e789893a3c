using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using Saliency.Attribution.Randomness;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>Options of I-GOS, with the reference implementation's defaults (its demo's l1 = 1, tv = 20).</summary>
public sealed record IgosOptions
{
    /// <summary>Side of the low-resolution mask; by default the reference's 28 cells, or the input side when smaller (<see cref="LowResolutionMask.DefaultSize"/>).</summary>
    public int? MaskSize { get; init; }
    /// <summary>The baseline the mask reveals; by default a blur with σ scaled as 50 on a 224-pixel side.</summary>
    public Substrate Baseline { get; init; } = Substrate.Blur;
    public int Iterations { get; init; } = 15;
    public int IntegrationSteps { get; init; } = 20;
    /// <summary>Standard deviation of the noise added at each integration point, in the model's normalised space.</summary>
    public double Noise { get; init; } = 0.2;
    public double L1 { get; init; } = 1;
    public double TotalVariation { get; init; } = 20;
    public double TotalVariationBeta { get; init; } = 2;
    public double InitialStep { get; init; } = 200;
    public double StepDecay { get; init; } = 0.2;
    public double ArmijoConstant { get; init; } = 1e-4;
    public double MinimumStep { get; init; } = 1e-5;
    /// <summary>
    /// When every step down to <see cref="MinimumStep"/> fails the Armijo test, take the first step below it all
    /// the same, as the reference does; when false, the mask stays put and the objective never rises.
    /// </summary>
    public bool TakeFailedSteps { get; init; } = true;
    public long Seed { get; init; }

    /// <summary>The mask side used on an input of this size.</summary>
    public int ResolveMaskSize(long height, long width) => MaskSize ?? LowResolutionMask.DefaultSize(height, width);

    public void Validate()
    {
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), $"I-GOS iterations must be at least 1, got {Iterations}");
        if (IntegrationSteps < 1) throw new ArgumentOutOfRangeException(nameof(IntegrationSteps), $"I-GOS integration steps must be at least 1, got {IntegrationSteps}");
        if (MaskSize is < 1) throw new ArgumentOutOfRangeException(nameof(MaskSize), $"I-GOS mask size must be at least 1, got {MaskSize}");
        if (!(StepDecay is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(StepDecay), $"I-GOS step decay must be in (0, 1), got {StepDecay}");
    }
}

/// <summary>
/// The objective before and after one iteration's line-search step, under that iteration's coefficients, and
/// whether the step passed the Armijo test (a step of size 0 is none taken).
/// </summary>
public sealed record IgosStep(double Before, double After, double StepSize, bool Passed);

/// <summary>One image's optimised low-resolution mask and its iterations.</summary>
public sealed record IgosTrace(float[] Mask, int MaskSize, IReadOnlyList<IgosStep> Steps);

/// <summary>
/// I-GOS (Qi, Khorram and Li, "Visualizing Deep Networks by Optimizing with Integrated Gradients", AAAI 2020),
/// following the reference implementation (zhongangqi/IGOS). A low-resolution mask M, initially ones and
/// upsampled bilinearly, keeps the image where M = 1 and shows the baseline where M = 0. It minimises
/// l1·mean|1 − M| + tv·TV_β(M) + p_c(x·M + b·(1 − M)), descending along the integrated gradient of the
/// score over the path α·M, α = k/N, with fresh noise at each point, and a revised Armijo line search.
/// The map is 1 − M, upsampled. As in the reference, a step that still fails the Armijo test at the minimum
/// step size is taken (<see cref="IgosOptions.TakeFailedSteps"/>), and the l1 coefficient is relaxed by the
/// score's change up to the start of the previous iteration, the value the reference's curve holds then.
/// </summary>
public sealed class Igos(IgosOptions? options = null) : IAttributionMethod
{
    public IgosOptions Options { get; } = options ?? new IgosOptions();

    public string Name => "igos";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target)
    {
        Options.Validate();
        return OptimisedMaskMaps.Attribute(model, images, target, Options.Baseline, Options.Iterations * Options.IntegrationSteps,
            (x, baseline, label, key) => Optimise(model, x, baseline, label, key).UpsampledMask);
    }

    /// <summary>The optimisation of one image, exposed with its objective trace.</summary>
    public IgosTrace Trace(ImageClassifier model, ImageSet image, Target target) =>
        OptimisedMaskMaps.Trace(model, image, target, Options.Baseline, (x, baseline, label, key) => Optimise(model, x, baseline, label, key).Trace);

    (Tensor UpsampledMask, IgosTrace Trace) Optimise(ImageClassifier model, Tensor x, Tensor baseline, long target, int key)
    {
        var o = Options;
        var (height, width) = (x.shape[2], x.shape[3]);
        var size = o.ResolveMaskSize(height, width);
        var path = new MaskPath(model, x, target, o.IntegrationSteps, o.Noise);
        var search = new ArmijoLineSearch(o.InitialStep, o.StepDecay, o.ArmijoConstant, o.MinimumStep) { TakeFailedSteps = o.TakeFailedSteps };
        var one = full(1, target, ScalarType.Int64, x.device);
        using var generator = new Generator(StableSeed.For(o.Seed, key, Name));

        Tensor Up(Tensor m) => LowResolutionMask.Upsample(m, height, width);
        Tensor Regulariser(Tensor m, double l1) => l1 * (1 - m).abs().mean() + o.TotalVariation * LowResolutionMask.TotalVariation(m, o.TotalVariationBeta);
        double Score(Tensor m)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var up = Up(m);
            return ClassScore.Of(model, x * up + baseline * (1 - up), one, ScoreKind.Probability).to(ScalarType.Float64).item<double>();
        }
        double Penalty(Tensor m, double l1)
        {
            using var scope = NewDisposeScope();
            return Regulariser(m, l1).to(ScalarType.Float64).item<double>();
        }

        var mask = ones(1, 1, size, size, x.dtype, x.device);
        var l1 = o.L1;
        var steps = new List<IgosStep>();
        // The score of the current mask is carried from the line-search candidate taken, never recomputed.
        var score = Score(mask);
        var startScores = new List<double>();
        for (var iteration = 0; iteration < o.Iterations; iteration++)
        {
            startScores.Add(score);
            using var iterationScope = NewDisposeScope();
            Tensor direction;
            using (enable_grad())
            {
                var m = mask.detach().requires_grad_(true);
                var loss = Regulariser(m, l1) + path.MeanScores(path.Points(x, baseline, Up(m)) + path.Noise(1, generator)).sum();
                direction = autograd.grad(new[] { loss }, new[] { m })[0].detach();
            }

            var current = Penalty(mask, l1) + score;
            var accepted = search.Search(mask, direction, current, candidate =>
            {
                var candidateScore = Score(candidate);
                return (Penalty(candidate, l1) + candidateScore, candidateScore);
            });
            if (accepted is not null) (mask, score) = (accepted.Point.MoveToOuterDisposeScope(), accepted.State);
            steps.Add(new IgosStep(current, accepted?.Objective ?? current, accepted?.Size ?? 0, accepted?.Passed ?? false));

            l1 = RelaxedL1(l1, o.Iterations, iteration, startScores);
        }
        var up = Up(mask).MoveToOuterDisposeScope();
        return (up, new IgosTrace(mask.to(float32).flatten().ToHostArray<float>(), size, steps));
    }

    /// <summary>
    /// The reference's relaxation of the area penalty when the score has hardly moved by mid-run (÷ 10) and late-run
    /// (÷ 5), on runs of more than 3 iterations. At the end of iteration i it compares the score at the start with
    /// its curve's entry i, which holds the score at the start of iteration i − 1 (its first entry is written twice).
    /// </summary>
    /// <param name="startScores">The score at the start of iterations 0..<paramref name="iteration"/>.</param>
    public static double RelaxedL1(double l1, int iterations, int iteration, IReadOnlyList<double> startScores)
    {
        if (iterations <= 3 || iteration < 1) return l1;
        var moved = Math.Abs(startScores[0] - startScores[iteration - 1]);
        if (iteration == iterations / 2) return moved <= 0.001 ? l1 / 10 : l1;
        if (iteration == (int)(iterations / 1.25)) return moved <= 0.01 ? l1 / 5 : l1;
        return l1;
    }
}
