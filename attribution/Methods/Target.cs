using System.Globalization;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>The quantity a method explains: a class's logit, or its softmax probability.</summary>
public enum ScoreKind { Logit, Probability }

/// <summary>The names of <see cref="ScoreKind"/> as specs and options spell them.</summary>
public static class ScoreKinds
{
    /// <exception cref="ArgumentException">Neither <c>logit</c> nor <c>probability</c>.</exception>
    public static ScoreKind Parse(string text) => text switch
    {
        "logit" => ScoreKind.Logit,
        "probability" => ScoreKind.Probability,
        _ => throw new ArgumentException($"unknown score '{text}' (known: logit, probability)"),
    };
}

/// <summary>
/// Which class each image's attribution explains: <c>predicted</c> (the model's top class), <c>label</c>
/// (the image's own label) or a fixed class index.
/// </summary>
public sealed record Target(string Name, int? ClassIndex = null, IReadOnlyList<int>? Classes = null)
{
    public static Target Predicted { get; } = new("predicted");
    public static Target Label { get; } = new("label");
    public static Target Class(int index) => new(index.ToString(CultureInfo.InvariantCulture), index);

    /// <summary>One given class per image, in the order of the images.</summary>
    public static Target PerImage(IReadOnlyList<int> classes) => new("given", Classes: classes);

    public static Target Parse(string text) => text switch
    {
        "predicted" => Predicted,
        "label" => Label,
        _ when int.TryParse(text, out var index) && index >= 0 => Class(index),
        _ => throw new ArgumentException($"unknown target '{text}' (expected predicted, label or a class index)"),
    };

    /// <summary>Throws when a fixed target class is not among the model's <paramref name="classes"/>: checked once, when a sweep loads.</summary>
    public void RequireWithin(int classes)
    {
        if (ClassIndex is { } index && index >= classes)
            throw new ArgumentException($"target class {index} is outside the model's {classes} classes (0-{classes - 1})");
    }

    /// <summary>The class index per image; <paramref name="logits"/> are the model's outputs on the images.</summary>
    public long[] Resolve(Tensor logits, IReadOnlyList<int> labels)
    {
        var classes = logits.shape[1];
        if (ClassIndex is { } fixedClass && fixedClass >= classes)
            throw new ArgumentOutOfRangeException(nameof(ClassIndex), $"target class {fixedClass} is outside the model's {classes} classes");
        if (Classes is not null)
            return Classes.Count == logits.shape[0]
                ? Classes.Select(c => c >= 0 && c < classes ? (long)c
                    : throw new ArgumentOutOfRangeException(nameof(Classes), $"target class {c} is outside the model's {classes} classes")).ToArray()
                : throw new ArgumentException($"{Classes.Count} target classes for {logits.shape[0]} images");
        if (ClassIndex is { } index)
            return Enumerable.Repeat((long)index, (int)logits.shape[0]).ToArray();
        if (Name == Label.Name && ClassIndex is null)
            return labels.Select(l => l >= 0 && l < classes ? (long)l
                : l == Data.ImageFolder.NoLabel
                    ? throw new ArgumentException("target 'label': the images have no labels (a flat folder without a labels CSV); name one with 'labels: FILE.csv' or use target: predicted")
                    : throw new ArgumentOutOfRangeException(nameof(labels), $"label {l} is outside the model's {classes} classes")).ToArray();
        return logits.argmax(1).ToHostArray<long>();
    }

    public override string ToString() => Name;
}

/// <summary>Scores of chosen classes, the function every attribution explains.</summary>
public static class ClassScore
{
    /// <returns>[M] scores of <paramref name="targets"/> (one class per row) on <paramref name="pixels"/>.</returns>
    public static Tensor Of(ImageClassifier model, Tensor pixels, Tensor targets, ScoreKind kind)
    {
        using var scope = NewDisposeScope();
        var logits = model.Logits(pixels);
        // A reduced-precision model's logits are softmaxed in float32: bfloat16's 8-bit mantissa would round the probability itself.
        if (logits.dtype is ScalarType.BFloat16 or ScalarType.Float16) logits = logits.to(ScalarType.Float32);
        var scores = kind == ScoreKind.Probability ? nn.functional.softmax(logits, 1) : logits;
        return scores.gather(1, targets.view(-1, 1)).view(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Each row's target score, forward-only, in chunks of <paramref name="batchSize"/> rows, as doubles on the host.</summary>
    public static double[] InBatches(ImageClassifier model, Tensor pixels, Tensor targets, ScoreKind kind, int batchSize)
    {
        using var noGrad = no_grad();
        var scores = new List<double>();
        for (long start = 0; start < pixels.shape[0]; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var rows = Math.Min(batchSize, pixels.shape[0] - start);
            scores.AddRange(Of(model, pixels.narrow(0, start, rows), targets.narrow(0, start, rows), kind).to(ScalarType.Float64).ToHostArray<double>());
        }
        return [.. scores];
    }

    /// <summary>All class scores of a batch, computed without gradients in chunks of <paramref name="batchSize"/>.</summary>
    public static Tensor AllClasses(ImageClassifier model, Tensor pixels, ScoreKind kind, int batchSize)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var chunks = new List<Tensor>();
        for (long start = 0; start < pixels.shape[0]; start += batchSize)
        {
            var logits = model.Logits(pixels.narrow(0, start, Math.Min(batchSize, pixels.shape[0] - start)));
            chunks.Add(kind == ScoreKind.Probability ? nn.functional.softmax(logits, 1) : logits);
        }
        return cat(chunks, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Input gradients of many images, computed in chunks of <paramref name="batchSize"/> rows.</summary>
    public static Tensor GradientsInBatches(ImageClassifier model, Tensor pixels, long[] targets, ScoreKind kind, int batchSize)
    {
        using var scope = NewDisposeScope();
        var all = tensor(targets, device: pixels.device);
        var chunks = new List<Tensor>();
        for (long start = 0; start < pixels.shape[0]; start += batchSize)
        {
            var count = Math.Min(batchSize, pixels.shape[0] - start);
            chunks.Add(WithGradients(model, pixels.narrow(0, start, count), all.narrow(0, start, count), kind).Gradients);
        }
        return cat(chunks, 0).MoveToOuterDisposeScope();
    }

    /// <summary>The gradient of each row's target score with respect to its own input row.</summary>
    public static (Tensor Scores, Tensor Gradients) WithGradients(ImageClassifier model, Tensor pixels, Tensor targets, ScoreKind kind)
    {
        using var scope = NewDisposeScope();
        using var enabled = enable_grad();
        var input = pixels.detach().requires_grad_(true);
        var scores = Of(model, input, targets, kind);
        // Rows are independent, so the gradient of the sum is each row's own gradient.
        var gradient = autograd.grad(new[] { scores.sum() }, new[] { input })[0];
        return (scores.detach().MoveToOuterDisposeScope(), gradient.MoveToOuterDisposeScope());
    }
}
