using System.Diagnostics;
using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Models;
using Saliency.Attribution.Randomness;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Saliency.Attribution.Methods;

/// <summary>Options of I-GOS, with the reference implementation's defaults (its demo's l1 = 1, tv = 20).</summary>
public sealed record IGosOptions
{
    /// <summary>Side of the low-resolution mask; by default the input side / 8.</summary>
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
    public long Seed { get; init; }

    public void Validate()
    {
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), $"I-GOS iterations must be at least 1, got {Iterations}");
        if (IntegrationSteps < 1) throw new ArgumentOutOfRangeException(nameof(IntegrationSteps), $"I-GOS integration steps must be at least 1, got {IntegrationSteps}");
        if (MaskSize is < 1) throw new ArgumentOutOfRangeException(nameof(MaskSize), $"I-GOS mask size must be at least 1, got {MaskSize}");
        if (!(StepDecay is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(StepDecay), $"I-GOS step decay must be in (0, 1), got {StepDecay}");
    }
}

/// <summary>The objective before and after one iteration's line-search step, under that iteration's coefficients.</summary>
public sealed record IGosStep(double Before, double After, double StepSize);

/// <summary>One image's optimised low-resolution mask and its iterations.</summary>
public sealed record IGosTrace(float[] Mask, int MaskSize, IReadOnlyList<IGosStep> Steps);

/// <summary>
/// I-GOS (Qi, Khorram and Li, "Visualizing Deep Networks by Optimizing with Integrated Gradients", AAAI 2020),
/// following the reference implementation (zhongangqi/IGOS). A low-resolution mask M, initially ones and
/// upsampled bilinearly, keeps the image where M = 1 and shows the baseline where M = 0. It minimises
/// l1·mean|1 − M| + tv·TV_β(M) + p_c(x·M + b·(1 − M)), descending along the integrated gradient of the
/// score over the path α·M, α = k/N, with fresh noise at each point, and a revised Armijo line search.
/// The map is 1 − M, upsampled. One difference from the reference: a step that still fails the Armijo test
/// at the minimum step size is not taken, so the objective never rises.
/// </summary>
public sealed class IGos(IGosOptions? options = null) : IAttributionMethod
{
    public IGosOptions Options { get; } = options ?? new IGosOptions();

    public string Name => "igos";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target)
    {
        Options.Validate();
        using var scope = NewDisposeScope();
        var prepared = PreparedImages.Prepare(model, images, target, ScoreKind.Probability, 64);
        var baselines = Options.Baseline.Create(prepared.Inputs, model);
        var results = new ImageAttribution[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            var clock = Stopwatch.StartNew();
            using var imageScope = NewDisposeScope();
            var (mask, _) = Optimise(model, prepared.Inputs[i].unsqueeze(0), baselines[i].unsqueeze(0), prepared.Targets[i], images.Keys[i]);
            var channels = prepared.Inputs.shape[1];
            var map = (1 - mask).clamp(0, 1).expand(1, channels, -1, -1).contiguous().to(float32).flatten();
            results[i] = new ImageAttribution(images.Keys[i], (int)prepared.Targets[i], map.ToHostArray<float>(),
                prepared.Scores[i], null, Options.Iterations * Options.IntegrationSteps, clock.Elapsed.TotalSeconds);
        }
        return results;
    }

    /// <summary>The optimisation of one image, exposed with its objective trace.</summary>
    public IGosTrace Trace(ImageClassifier model, ImageSet image, Target target)
    {
        using var scope = NewDisposeScope();
        var prepared = PreparedImages.Prepare(model, image.Slice(0, 1), target, ScoreKind.Probability, 1);
        var baseline = Options.Baseline.Create(prepared.Inputs, model);
        var (_, trace) = Optimise(model, prepared.Inputs, baseline, prepared.Targets[0], image.Keys[0]);
        return trace;
    }

    (Tensor UpsampledMask, IGosTrace Trace) Optimise(ImageClassifier model, Tensor x, Tensor baseline, long target, int key)
    {
        var o = Options;
        var (height, width) = (x.shape[2], x.shape[3]);
        var size = o.MaskSize ?? Math.Max(1, (int)Math.Min(height, width) / 8);
        var targets = full(o.IntegrationSteps, target, ScalarType.Int64, x.device);
        var noiseScale = model.Spec.Std is { } std ? tensor(std).to(x.dtype, x.device).view(1, -1, 1, 1) * o.Noise : tensor(o.Noise).to(x.dtype, x.device);
        var alphas = (arange(1, o.IntegrationSteps + 1, x.dtype, x.device) / o.IntegrationSteps).view(-1, 1, 1, 1);
        using var generator = new Generator(StableSeed.For(o.Seed, key, Name));

        Tensor Up(Tensor m) => interpolate(m, new[] { height, width }, mode: InterpolationMode.Bilinear, align_corners: true);
        Tensor Compose(Tensor up) => x * up + baseline * (1 - up);
        Tensor Regulariser(Tensor m, double l1) => l1 * (1 - m).abs().mean() + o.TotalVariation * TotalVariation(m, o.TotalVariationBeta);
        double Score(Tensor m)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return ClassScore.Of(model, Compose(Up(m)), targets.narrow(0, 0, 1), ScoreKind.Probability).to(ScalarType.Float64).item<double>();
        }
        double Penalty(Tensor m, double l1)
        {
            using var scope = NewDisposeScope();
            return Regulariser(m, l1).to(ScalarType.Float64).item<double>();
        }

        var mask = ones(1, 1, size, size, x.dtype, x.device);
        var l1 = o.L1;
        var steps = new List<IGosStep>();
        // The score of the current mask is carried from the accepted line-search candidate, never recomputed.
        var score = Score(mask);
        var initialScore = score;
        for (var iteration = 0; iteration < o.Iterations; iteration++)
        {
            using var iterationScope = NewDisposeScope();
            Tensor direction;
            using (enable_grad())
            {
                var m = mask.detach().requires_grad_(true);
                var path = alphas * Up(m);
                // Drawn on the CPU, whose generator gives the same numbers whatever device the model is on.
                var noise = randn(new[] { (long)o.IntegrationSteps, x.shape[1], height, width }, x.dtype, generator: generator).to(x.device) * noiseScale;
                var scores = ClassScore.Of(model, x * path + baseline * (1 - path) + noise, targets, ScoreKind.Probability);
                var loss = Regulariser(m, l1) + scores.sum() / o.IntegrationSteps;
                direction = autograd.grad(new[] { loss }, new[] { m })[0].detach();
            }

            var current = Penalty(mask, l1) + score;
            var decrease = o.ArmijoConstant * direction.pow(2).sum().to(ScalarType.Float64).item<double>();
            var (after, taken) = (current, 0.0);
            for (var step = o.InitialStep; step >= o.MinimumStep; step *= o.StepDecay)
            {
                var candidate = (mask - step * direction).clamp(0, 1);
                var candidateScore = Score(candidate);
                var objective = Penalty(candidate, l1) + candidateScore;
                if (objective <= current - step * decrease)
                {
                    (mask, score, after, taken) = (candidate.MoveToOuterDisposeScope(), candidateScore, objective, step);
                    break;
                }
            }
            steps.Add(new IGosStep(current, after, taken));

            // The reference relaxes the area penalty when the score has hardly moved by mid-run and late-run.
            var moved = Math.Abs(initialScore - score);
            if (iteration == o.Iterations / 2 && moved <= 0.001) l1 /= 10;
            else if (iteration == (int)(o.Iterations / 1.25) && moved <= 0.01) l1 /= 5;
        }
        var up = Up(mask).MoveToOuterDisposeScope();
        return (up, new IGosTrace(mask.to(float32).flatten().ToHostArray<float>(), size, steps));
    }

    /// <summary>TV_β: the mean of |vertical differences|^β plus the mean of |horizontal differences|^β.</summary>
    static Tensor TotalVariation(Tensor mask, double beta)
    {
        var m = mask[0, 0];
        var (rows, columns) = (m.shape[0], m.shape[1]);
        var vertical = rows > 1 ? (m.narrow(0, 0, rows - 1) - m.narrow(0, 1, rows - 1)).abs().pow(beta).mean() : zeros(1, mask.dtype, mask.device).sum();
        var horizontal = columns > 1 ? (m.narrow(1, 0, columns - 1) - m.narrow(1, 1, columns - 1)).abs().pow(beta).mean() : zeros(1, mask.dtype, mask.device).sum();
        return vertical + horizontal;
    }
}
