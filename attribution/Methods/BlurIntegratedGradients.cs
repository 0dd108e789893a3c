using System.Diagnostics;
using Saliency.Attribution.Data;
using Saliency.Attribution.Imaging;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>Options of Blur IG, with the reference's defaults (PAIR-code/saliency <c>blur_ig.py</c>).</summary>
public sealed record BlurIntegratedGradientsOptions
{
    /// <summary>The reference's σ of 50 pixels is meant for 224-pixel images; left out, σ scales with the shorter side.</summary>
    public const double ReferenceMaxSigma = 50, ReferenceSide = 224;
    public const int DefaultSteps = 100;
    public const double DefaultGradStep = 0.01;

    /// <summary>σ of the blurred end of the path, in pixels; by default 50 · side / 224 (6.25 on 28 pixels).</summary>
    public double? MaxSigma { get; init; }
    /// <summary>Gradient evaluations along the path, at σ = 0, Δσ, …, σmax − Δσ.</summary>
    public int Steps { get; init; } = DefaultSteps;
    /// <summary>The σ increment of the forward difference that stands for ∂x(σ)/∂σ.</summary>
    public double GradStep { get; init; } = DefaultGradStep;
    public ScoreKind Score { get; init; } = ScoreKind.Logit;
    /// <summary>
    /// The pixels the blur takes beyond the image: replicated edges by default, or zeros as the reference's blur pads
    /// (docs/methods.md measures the difference).
    /// </summary>
    public BlurBorder Border { get; init; } = BlurBorder.Replicate;
    /// <summary>Blurred images per forward and backward pass, across images and steps together.</summary>
    public int InternalBatchSize { get; init; } = 64;

    public double ResolveMaxSigma(int height, int width) => MaxSigma ?? ReferenceMaxSigma * Math.Min(height, width) / ReferenceSide;

    /// <exception cref="ArgumentOutOfRangeException">A value the path cannot be built with.</exception>
    public void Validate()
    {
        if (MaxSigma is { } sigma && !(sigma > 0 && double.IsFinite(sigma)))
            throw new ArgumentOutOfRangeException(nameof(MaxSigma), $"blur-ig max_sigma must be positive, got {sigma}");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), $"blur-ig steps must be at least 1, got {Steps}");
        if (!(GradStep > 0 && double.IsFinite(GradStep)))
            throw new ArgumentOutOfRangeException(nameof(GradStep), $"blur-ig grad_step must be positive, got {GradStep}");
        if (!Enum.IsDefined(Border)) throw new ArgumentOutOfRangeException(nameof(Border), $"blur-ig border must be replicate or zero, got {Border}");
        if (InternalBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(InternalBatchSize), $"batch size must be at least 1, got {InternalBatchSize}");
    }
}

/// <summary>
/// Blur IG (Xu, Venugopalan and Sundararajan 2020, "Attribution in Scale and Space"): integrated gradients along
/// the path x(σ) = GaussianBlur(x, σ) from σmax down to the image, so no baseline is chosen. As the reference
/// discretises it, σᵢ = i·σmax/n and attribution = −Σᵢ₌₀ⁿ⁻¹ Δσ · (x(σᵢ + h) − x(σᵢ))/h ⊙ ∇F(x(σᵢ)), which sums to
/// about F(x) − F(x(σmax)). The blur is <see cref="GaussianBlur.Apply(Tensor, double, BlurBorder, int?)"/>, with
/// replicated borders by default where the reference pads with zeros. Its kernel's radius ⌈3σ⌉ grows by one tap as σ
/// passes a third of a pixel, and the blur jumps with it; a difference across such a σ would add the jump, divided by h,
/// to ∂x/∂σ. So both blurs of step i, x(σᵢ) (the point the gradient is taken at) and x(σᵢ + h), take the radius of
/// σᵢ + h. Points of all images and steps go through the model in batches of a fixed size.
/// </summary>
public sealed class BlurIntegratedGradients(BlurIntegratedGradientsOptions? options = null) : IAttributionMethod
{
    public BlurIntegratedGradientsOptions Options { get; } = options ?? new BlurIntegratedGradientsOptions();

    public string Name => "blur-ig";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target)
    {
        Options.Validate();
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var (inputs, targets, scores) = PreparedImages.Prepare(model, images, target, Options.Score, Options.InternalBatchSize);
        var maxSigma = Options.ResolveMaxSigma(images.Shape.Height, images.Shape.Width);
        var steps = Options.Steps;
        var sigmaStep = maxSigma / steps;
        var device = model.Device;
        var attributions = zeros_like(inputs);

        var total = images.Count * steps;
        for (var start = 0; start < total; start += Options.InternalBatchSize)
        {
            using var chunkScope = NewDisposeScope();
            var count = Math.Min(Options.InternalBatchSize, total - start);
            var rows = Enumerable.Range(start, count).Select(p => Math.DivRem(p, steps)).ToArray();
            var points = new List<Tensor>();
            var slopes = new List<Tensor>();
            foreach (var (image, step) in rows)
            {
                var (point, slope) = PathAt(inputs.narrow(0, image, 1), step * sigmaStep, Options.GradStep, Options.Border);
                points.Add(point);
                slopes.Add(slope);
            }
            var rowImages = tensor(rows.Select(r => (long)r.Quotient).ToArray(), device: device);
            var (_, gradients) = ClassScore.WithGradients(model, cat(points, 0), tensor(targets, device: device).index_select(0, rowImages), Options.Score);
            attributions.index_add_(0, rowImages, cat(slopes, 0) * gradients, -sigmaStep);
        }

        var blurred = GaussianBlur.Apply(inputs, maxSigma, Options.Border);
        var blurredScores = ClassScore.AllClasses(model, blurred, Options.Score, Options.InternalBatchSize)
            .gather(1, tensor(targets, device: device).view(-1, 1)).view(-1).to(float64).ToHostArray<double>();
        var sums = attributions.flatten(1).sum(1).to(float64).ToHostArray<double>();
        var maps = attributions.to(float32).flatten(1).cpu();
        var seconds = clock.Elapsed.TotalSeconds / Math.Max(1, images.Count);
        return Enumerable.Range(0, images.Count).Select(i => new ImageAttribution(images.Keys[i], (int)targets[i], maps[i].data<float>().ToArray(),
            scores[i], new PathCompleteness(blurredScores[i], sums[i], sums[i] - (scores[i] - blurredScores[i])), steps, seconds)).ToArray();
    }

    /// <summary>
    /// The path's point x(σ) and the forward difference (x(σ + h) − x(σ))/h that stands for ∂x/∂σ there, both blurs with
    /// the kernel radius of σ + h, so the difference is that of a smooth function of σ. x(0) is the image itself, as the
    /// reference takes it.
    /// </summary>
    public static (Tensor Point, Tensor Slope) PathAt(Tensor images, double sigma, double gradStep, BlurBorder border)
    {
        using var scope = NewDisposeScope();
        var radius = GaussianBlur.Radius(sigma + gradStep);
        var point = sigma == 0 ? images.clone() : GaussianBlur.Apply(images, sigma, border, radius);
        var slope = (GaussianBlur.Apply(images, sigma + gradStep, border, radius) - point) / gradStep;
        return (point.MoveToOuterDisposeScope(), slope.MoveToOuterDisposeScope());
    }
}
