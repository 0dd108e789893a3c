using System.Diagnostics;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>Options of Guided IG, with the reference's defaults (PAIR-code/saliency <c>guided_ig.py</c>).</summary>
public sealed record GuidedIntegratedGradientsOptions
{
    public const string DefaultBaseline = "black";
    public const int DefaultSteps = 200;
    public const double DefaultFraction = 0.25, DefaultMaxDistance = 0.02;
    public const int DefaultAnchors = 0;

    public Baseline Baseline { get; init; } = Baseline.Parse(DefaultBaseline);
    /// <summary>Gradient evaluations along the whole path, shared out among its segments when there are anchors.</summary>
    public int Steps { get; init; } = DefaultSteps;
    /// <summary>The share of features, those of smallest |gradient|, moved at each step.</summary>
    public double Fraction { get; init; } = DefaultFraction;
    /// <summary>How far, in α, a feature may run ahead of or fall behind the straight line: 0 is IG's path, 1 unbounded.</summary>
    public double MaxDistance { get; init; } = DefaultMaxDistance;
    /// <summary>Points on the straight line the path must pass through, evenly spaced; 0 leaves only its two ends.</summary>
    public int Anchors { get; init; } = DefaultAnchors;
    public ScoreKind Score { get; init; } = ScoreKind.Logit;
    /// <summary>Images whose current path points go through the model together.</summary>
    public int InternalBatchSize { get; init; } = 64;
    public long Seed { get; init; }

    /// <exception cref="ArgumentOutOfRangeException">A value the path cannot be built with.</exception>
    public void Validate()
    {
        if (Anchors < 0) throw new ArgumentOutOfRangeException(nameof(Anchors), $"guided-ig anchors must be at least 0, got {Anchors}");
        if (Steps < Anchors + 1)
            throw new ArgumentOutOfRangeException(nameof(Steps), $"guided-ig steps must be at least one per segment ({Anchors + 1}), got {Steps}");
        if (!(Fraction is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(Fraction), $"guided-ig fraction must be in [0, 1], got {Fraction}");
        if (!(MaxDistance is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(MaxDistance), $"guided-ig max_dist must be in [0, 1], got {MaxDistance}");
        if (InternalBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(InternalBatchSize), $"batch size must be at least 1, got {InternalBatchSize}");
    }

    /// <summary>The steps of each segment between anchors: as even as integers allow, the earlier segments taking the remainder.</summary>
    public int[] SegmentSteps() =>
        Enumerable.Range(0, Anchors + 1).Select(s => Steps / (Anchors + 1) + (s < Steps % (Anchors + 1) ? 1 : 0)).ToArray();
}

/// <summary>
/// Guided IG (Kapishnikov et al. 2021, "Guided Integrated Gradients: an Adaptive Path Method for Removing Noise"):
/// the path from the baseline x′ to x is chosen as it goes. At each step the features of smallest |∂F/∂xᵢ| move
/// towards x until the L1 distance left to x is the straight line's at that step, no feature straying more than
/// <see cref="GuidedIntegratedGradientsOptions.MaxDistance"/> in α from it; each move is attributed the gradient at
/// the step's start, so the sum is about F(x) − F(x′) on any path. With anchors the path runs through evenly spaced
/// points of the straight line, one guided segment between each pair. The walk is sequential along a path but all
/// images step together, their current points going through the model in batches; the path state is kept in
/// double precision on the CPU, as the reference keeps it in float64.
/// </summary>
public sealed class GuidedIntegratedGradients(GuidedIntegratedGradientsOptions? options = null) : IAttributionMethod
{
    public GuidedIntegratedGradientsOptions Options { get; } = options ?? new GuidedIntegratedGradientsOptions();

    public string Name => "guided-ig";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target)
    {
        Options.Validate();
        if (Options.Baseline is not ImageBaseline baseline)
            throw new ArgumentException($"baseline '{Options.Baseline.Name}' is not supported by guided-ig: it needs one baseline image per input");
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var (inputs, targets, scores) = PreparedImages.Prepare(model, images, target, Options.Score, Options.InternalBatchSize);
        var references = baseline.Create(inputs, images.Keys, Options.Seed).to(inputs.dtype);
        var device = model.Device;
        var targetTensor = tensor(targets, device: device);
        var baselineScores = ClassScore.AllClasses(model, references, Options.Score, Options.InternalBatchSize)
            .gather(1, targetTensor.view(-1, 1)).view(-1).to(float64).ToHostArray<double>();

        var features = (int)(inputs.numel() / Math.Max(1, images.Count));
        var inputValues = inputs.to(float64).flatten(1).cpu();
        var referenceValues = references.to(float64).flatten(1).cpu();
        var paths = Enumerable.Range(0, images.Count)
            .Select(i => new GuidedPath(inputValues[i].data<double>().ToArray(), referenceValues[i].data<double>().ToArray(), Options))
            .ToArray();

        var shape = inputs.shape;
        foreach (var (segment, segmentSteps) in Options.SegmentSteps().Select((n, s) => (s, n)))
        {
            foreach (var path in paths) path.StartSegment(segment);
            for (var step = 0; step < segmentSteps; step++)
                for (var start = 0; start < paths.Length; start += Options.InternalBatchSize)
                {
                    using var batchScope = NewDisposeScope();
                    var count = Math.Min(Options.InternalBatchSize, paths.Length - start);
                    var points = tensor(paths.Skip(start).Take(count).SelectMany(p => p.Point).ToArray(),
                        new long[] { count, shape[1], shape[2], shape[3] }).to(model.DType, device);
                    var (_, gradients) = ClassScore.WithGradients(model, points, targetTensor.narrow(0, start, count), Options.Score);
                    var host = gradients.to(float64).flatten(1).cpu();
                    for (var j = 0; j < count; j++) paths[start + j].Step(step, segmentSteps, host[j].data<double>().ToArray());
                }
        }

        var seconds = clock.Elapsed.TotalSeconds / Math.Max(1, images.Count);
        return paths.Select((path, i) =>
        {
            var sum = path.Attribution.Sum();
            return new ImageAttribution(images.Keys[i], (int)targets[i], path.Attribution.Select(v => (float)v).ToArray(), scores[i],
                new PathCompleteness(baselineScores[i], sum, sum - (scores[i] - baselineScores[i])), Options.Steps, seconds);
        }).ToArray();
    }
}

/// <summary>One image's guided path: where it is, the attribution gathered so far, and the segment it is on.</summary>
sealed class GuidedPath
{
    // The reference's tolerance for reaching a step's L1 target.
    const double Epsilon = 1e-9;

    readonly double[] input, baseline;
    readonly GuidedIntegratedGradientsOptions options;
    double[] start = [], end = [];
    double l1Total;

    public GuidedPath(double[] input, double[] baseline, GuidedIntegratedGradientsOptions options)
    {
        (this.input, this.baseline, this.options) = (input, baseline, options);
        Point = (double[])baseline.Clone();
        Attribution = new double[input.Length];
    }

    public double[] Point { get; }
    public double[] Attribution { get; }

    /// <summary>Moves on to the segment from anchor <paramref name="segment"/> to the next, points of the straight line.</summary>
    public void StartSegment(int segment)
    {
        var segments = options.Anchors + 1.0;
        (start, end) = (Anchor(segment / segments), Anchor((segment + 1) / segments));
        l1Total = L1(start, end);
    }

    double[] Anchor(double alpha) => alpha >= 1 ? input : baseline.Select((b, i) => b + (input[i] - b) * alpha).ToArray();

    static double L1(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return sum;
    }

    /// <summary>Step <paramref name="step"/> of <paramref name="steps"/> on the segment, with the gradient at the current point.</summary>
    public void Step(int step, int steps, double[] gradient)
    {
        if (l1Total == 0) return;
        var n = Point.Length;
        var alpha = (step + 1.0) / steps;
        var (alphaMin, alphaMax) = (Math.Max(alpha - options.MaxDistance, 0), Math.Min(alpha + options.MaxDistance, 1));
        var (lower, upper) = (new double[n], new double[n]);
        for (var i = 0; i < n; i++)
            (lower[i], upper[i]) = (start[i] + (end[i] - start[i]) * alphaMin, start[i] + (end[i] - start[i]) * alphaMax);
        var l1Target = l1Total * (1 - alpha);
        var magnitude = new double[n];
        var selected = new bool[n];
        var previous = new double[n];

        while (true)
        {
            Array.Copy(Point, previous, n);
            // Features that fell behind the band catch up to its lower edge.
            for (var i = 0; i < n; i++)
            {
                var span = end[i] - start[i];
                var at = span != 0 ? (Point[i] - start[i]) / span : alphaMax;
                if (at < alphaMin) Point[i] = lower[i];
            }
            var l1Current = L1(Point, end);
            if (Math.Abs(l1Target - l1Current) <= Math.Max(Epsilon * Math.Max(Math.Abs(l1Target), Math.Abs(l1Current)), Epsilon))
            {
                Accumulate(previous, gradient);
                return;
            }

            // Of the features not yet at the band's upper edge, those with the smallest |gradient| move.
            for (var i = 0; i < n; i++) magnitude[i] = Point[i] == upper[i] ? double.PositiveInfinity : Math.Abs(gradient[i]);
            var threshold = LowerQuantile(magnitude, options.Fraction);
            var room = 0.0;
            for (var i = 0; i < n; i++)
            {
                selected[i] = magnitude[i] <= threshold && !double.IsPositiveInfinity(magnitude[i]);
                if (selected[i]) room += Math.Abs(Point[i] - upper[i]);
            }
            var gamma = room > 0 ? (l1Current - l1Target) / room : double.PositiveInfinity;
            for (var i = 0; i < n; i++)
                if (selected[i]) Point[i] = gamma > 1 ? upper[i] : Point[i] + (upper[i] - Point[i]) * gamma;
            Accumulate(previous, gradient);
            // Nothing left to move: the band itself is short of the target (rounding), so the step ends here.
            if (gamma <= 1 || room == 0) return;
        }
    }

    void Accumulate(double[] previous, double[] gradient)
    {
        for (var i = 0; i < Point.Length; i++) Attribution[i] += (Point[i] - previous[i]) * gradient[i];
    }

    /// <summary>numpy's quantile with <c>interpolation='lower'</c>: the sorted value at ⌊q·(n − 1)⌋.</summary>
    static double LowerQuantile(double[] values, double q)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[(int)Math.Floor(q * (sorted.Length - 1))];
    }
}
