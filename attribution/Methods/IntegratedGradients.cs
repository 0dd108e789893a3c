using System.Diagnostics;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Randomness;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>
/// Integrated Gradients (Sundararajan, Taly and Yan 2017, "Axiomatic Attribution for Deep Networks"):
/// attribution(x)ᵢ = (xᵢ − x′ᵢ) · ∫₀¹ ∂F(x′ + α(x − x′))/∂xᵢ dα, the integral taken by a quadrature rule,
/// or, for <c>expected:k</c> baselines, by Monte Carlo over references and α (expected gradients).
/// Interpolated images of all images and steps are cut into batches of a fixed size, so memory is
/// bounded and the result does not depend on the batching.
/// </summary>
public sealed class IntegratedGradients(IntegratedGradientsOptions options) : IAttributionMethod
{
    public IntegratedGradientsOptions Options { get; } = options;

    public string Name => "ig";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target)
    {
        Options.Validate();
        using var scope = NewDisposeScope();
        var (inputs, targets, scores) = PreparedImages.Prepare(model, images, target, Options.Score, Options.InternalBatchSize);
        var baselines = BaselineSource.For(Options.Baseline, inputs, images, Options.Seed);

        var results = new ImageAttribution?[images.Count];
        var pending = Enumerable.Range(0, images.Count).ToArray();
        var seconds = new double[images.Count];
        for (var steps = Options.Steps; pending.Length > 0; steps *= 2)
        {
            var clock = Stopwatch.StartNew();
            var round = Integrate(model, inputs, targets, baselines, pending, steps, images.Keys);
            foreach (var position in pending) seconds[position] += clock.Elapsed.TotalSeconds / pending.Length;

            var unconverged = new List<int>();
            for (var i = 0; i < pending.Length; i++)
            {
                var position = pending[i];
                var completeness = new PathCompleteness(round.BaselineScores[i], round.Sums[i],
                    round.Sums[i] - (scores[position] - round.BaselineScores[i]));
                var converged = !Options.AutoSteps || steps * 2 > Options.MaxSteps
                    || completeness.RelativeDelta(scores[position]) <= Options.AutoTolerance;
                if (!converged) { unconverged.Add(position); continue; }
                results[position] = new ImageAttribution(images.Keys[position], (int)targets[position], round.Maps[i],
                    scores[position], completeness, steps, seconds[position]);
            }
            pending = unconverged.ToArray();
        }
        return results.Select(r => r!).ToArray();
    }

    sealed record Round(float[][] Maps, double[] Sums, double[] BaselineScores);

    Round Integrate(ImageClassifier model, Tensor inputs, long[] targets, BaselineSource baselines, int[] positions, int steps, int[] keys)
    {
        using var scope = NewDisposeScope();
        var paths = positions.Select(p => baselines.Path(p, keys[p], steps, Options)).ToArray();
        var sourceScores = baselines.Scores(model, Options);
        var shape = inputs.shape[1..];
        var attributions = zeros(new[] { (long)positions.Length }.Concat(shape).ToArray(), model.DType, model.Device);
        var device = model.Device;

        var total = positions.Length * steps;
        var batch = Options.InternalBatchSize;
        for (var start = 0; start < total; start += batch)
        {
            using var chunkScope = NewDisposeScope();
            var count = Math.Min(batch, total - start);
            var row = new long[count];
            var image = new long[count];
            var source = new long[count];
            var alpha = new double[count];
            var weight = new double[count];
            for (var j = 0; j < count; j++)
            {
                var (r, k) = Math.DivRem(start + j, steps);
                row[j] = r;
                image[j] = positions[r];
                (source[j], alpha[j], weight[j]) = (paths[r].Sources[k], paths[r].Alphas[k], paths[r].Weights[k]);
            }
            var x = inputs.index_select(0, tensor(image, device: device));
            var reference = baselines.Images.index_select(0, tensor(source, device: device));
            var difference = x - reference;
            var alphas = tensor(alpha).to(model.DType, device).view(-1, 1, 1, 1);
            var interpolated = reference + alphas * difference;
            var (_, gradients) = ClassScore.WithGradients(model, interpolated, tensor(targets, device: device).index_select(0, tensor(image, device: device)), Options.Score);
            var weighted = gradients * tensor(weight).to(model.DType, device).view(-1, 1, 1, 1);
            // With one baseline per image, (x − x′) is common to all its points and is applied once below.
            var multiplyHere = Options.MultiplyByInputs && !baselines.PerImage;
            attributions.index_add_(0, tensor(row, device: device), multiplyHere ? weighted * difference : weighted, 1.0);
        }
        if (Options.MultiplyByInputs && baselines.PerImage)
        {
            var rows = tensor(positions.Select(p => (long)p).ToArray(), device: device);
            attributions.mul_(inputs.index_select(0, rows) - baselines.Images.index_select(0, rows));
        }

        var sums = attributions.flatten(1).sum(1).to(float64).ToHostArray<double>();
        var maps = attributions.to(float32).flatten(1).cpu();
        var baselineScores = paths.Select((path, r) => path.ReferenceScore(sourceScores, targets[positions[r]])).ToArray();
        return new Round(
            Enumerable.Range(0, positions.Length).Select(r => maps[r].data<float>().ToArray()).ToArray(),
            sums, baselineScores);
    }

    /// <summary>The quadrature points of one image: which baseline image, α and weight each step uses.</summary>
    sealed record PathPoints(long[] Sources, double[] Alphas, double[] Weights)
    {
        /// <summary>F(x′), averaged over the baselines the points use, with the points' weights.</summary>
        public double ReferenceScore(double[,] sourceScores, long target)
        {
            double sum = 0, weights = 0;
            for (var k = 0; k < Sources.Length; k++)
            {
                sum += Weights[k] * sourceScores[Sources[k], target];
                weights += Weights[k];
            }
            return sum / weights;
        }
    }

    /// <summary>The baseline images a path draws from: one per input image, or a shared reference set.</summary>
    sealed class BaselineSource
    {
        double[,]? scores;

        BaselineSource(Tensor images, bool perImage) => (Images, PerImage) = (images, perImage);

        public Tensor Images { get; }
        public bool PerImage { get; }

        public static BaselineSource For(Baseline baseline, Tensor inputs, ImageSet images, long seed) => baseline switch
        {
            ImageBaseline perImage => new BaselineSource(perImage.Create(inputs, images.Keys, seed).to(inputs.dtype), true),
            ExpectedBaseline expected => new BaselineSource(ReferenceTensor(expected, images, seed, inputs), false),
            _ => throw new ArgumentException($"baseline '{baseline}' is not supported by integrated gradients"),
        };

        static Tensor ReferenceTensor(ExpectedBaseline expected, ImageSet images, long seed, Tensor inputs)
        {
            var references = expected.DrawReferences(seed);
            if (references.Shape != images.Shape)
                throw new ArgumentException($"baseline '{expected}': reference images are {references.Shape}, inputs are {images.Shape}");
            return references.ToTensor().to(inputs.dtype, inputs.device);
        }

        public PathPoints Path(int position, int key, int steps, IntegratedGradientsOptions options)
        {
            if (PerImage)
            {
                var (alphas, weights) = options.Rule.Points(steps);
                return new PathPoints(Enumerable.Repeat((long)position, steps).ToArray(), alphas, weights);
            }
            var random = StableSeed.Random(options.Seed, key, $"{options.Baseline}/{steps}");
            var sources = new long[steps];
            var draws = new double[steps];
            for (var k = 0; k < steps; k++)
            {
                sources[k] = random.Next((int)Images.shape[0]);
                draws[k] = random.NextDouble();
            }
            return new PathPoints(sources, draws, Enumerable.Repeat(1.0 / steps, steps).ToArray());
        }

        public double[,] Scores(ImageClassifier model, IntegratedGradientsOptions options)
        {
            if (scores is not null) return scores;
            using var scope = NewDisposeScope();
            var all = ClassScore.AllClasses(model, Images, options.Score, options.InternalBatchSize).to(float64);
            var (rows, columns) = ((int)all.shape[0], (int)all.shape[1]);
            var values = all.ToHostArray<double>();
            scores = new double[rows, columns];
            Buffer.BlockCopy(values, 0, scores, 0, values.Length * sizeof(double));
            return scores;
        }
    }
}
