using System.Globalization;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Methods;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Quadrature;

namespace Saliency.Attribution.Sweeps;

/// <summary>What values a method parameter takes, which decides how it is checked, written and drawn.</summary>
public enum ParameterKind
{
    /// <summary>A baseline name such as <c>blur:5</c>.</summary>
    Baseline,
    /// <summary>A positive integer or <c>auto</c>.</summary>
    Steps,
    /// <summary>A quadrature rule name.</summary>
    Rule,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Flag,
    /// <summary>A positive integer.</summary>
    Count,
    /// <summary>A non-negative number.</summary>
    Number,
    /// <summary>A number above 0 and at most 1.</summary>
    Probability,
    /// <summary>A number above 0.</summary>
    PositiveNumber,
    /// <summary>A number from 0 to 1, both included.</summary>
    Fraction,
    /// <summary>A non-negative integer.</summary>
    NonNegativeCount,
    /// <summary>What a method fills removed pixels with, named as a deletion substrate: <c>black</c>, <c>mean</c>, <c>blur:σ:k</c>.</summary>
    Substrate,
    /// <summary>Free text, e.g. a layer name.</summary>
    Name,
}

/// <summary>
/// A parameter a sweep may vary for a method. <see cref="Default"/> is what the method uses when the
/// spec leaves the parameter out (null: the method's own default).
/// </summary>
public sealed record ParameterDefinition(string Name, ParameterKind Kind, string? Default)
{
    /// <summary>Integer parameters draw integers from a range; numbers draw floats.</summary>
    public bool TakesRange => IsInteger || Kind is ParameterKind.Number or ParameterKind.Probability or ParameterKind.PositiveNumber or ParameterKind.Fraction;

    public bool IsInteger => Kind is ParameterKind.Steps or ParameterKind.Count or ParameterKind.NonNegativeCount;

    /// <summary>The least value an integer parameter takes.</summary>
    public int Minimum => Kind == ParameterKind.NonNegativeCount ? 0 : 1;

    /// <summary>The value in the one form trials carry (<c>blur:5</c>, <c>16</c>, <c>gausslegendre</c>).</summary>
    /// <exception cref="ArgumentException">The value is not one this parameter takes.</exception>
    public string Canonical(string text) => Kind switch
    {
        ParameterKind.Baseline => BaselineName(text),
        ParameterKind.Steps when text == "auto" => text,
        ParameterKind.Steps or ParameterKind.Count or ParameterKind.NonNegativeCount => Integer(text),
        ParameterKind.Rule => QuadratureRule.Parse(text).Name,
        ParameterKind.Flag => text switch
        {
            "true" or "True" or "TRUE" => "true",
            "false" or "False" or "FALSE" => "false",
            _ => throw new ArgumentException($"expected true or false, got '{text}'"),
        },
        ParameterKind.Number => FormatNumber(NonNegativeNumber(text)),
        ParameterKind.Probability => FormatNumber(Probability(text)),
        ParameterKind.PositiveNumber => FormatNumber(Checked(text, v => v > 0, "a positive number")),
        ParameterKind.Fraction => FormatNumber(Checked(text, v => v is >= 0 and <= 1, "a number from 0 to 1")),
        // A substrate keeps the text it was written with, which parses again to itself.
        ParameterKind.Substrate => Substrate.Parse(text).Name,
        _ => text.Length > 0 ? text : throw new ArgumentException("expected a name, got an empty value"),
    };

    /// <summary>The baseline's name, which trials carry, must itself parse: <c>blur:0.0001</c> would be written <c>blur:0</c>.</summary>
    static string BaselineName(string text)
    {
        var name = Baseline.Parse(text, NeverLoadedReferences).Name;
        try { Baseline.Parse(name, NeverLoadedReferences); }
        catch (ArgumentException) { throw new ArgumentException($"baseline '{text}' is too fine to write: it would read '{name}'"); }
        return name;
    }

    public static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    string Integer(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= Minimum
            ? value.ToString(CultureInfo.InvariantCulture)
            : throw new ArgumentException(Kind switch
            {
                ParameterKind.Steps => $"expected a positive integer or 'auto', got '{text}'",
                ParameterKind.NonNegativeCount => $"expected a non-negative integer, got '{text}'",
                _ => $"expected a positive integer, got '{text}'",
            });

    static double Checked(string text, Func<double, bool> valid, string expected) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && valid(value)
            ? value
            : throw new ArgumentException($"expected {expected}, got '{text}'");

    static double NonNegativeNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"expected a non-negative number, got '{text}'");

    static double Probability(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= 1
            ? value
            : throw new ArgumentException($"expected a probability above 0 and at most 1, got '{text}'");

    // Checking a spec must not load data: expected:K only names how many references it will draw.
    static Data.ImageCatalog NeverLoadedReferences() =>
        throw new InvalidOperationException("a sweep spec is checked without loading reference images");
}

/// <summary>The parameters each method of <see cref="Methods.MethodCatalog"/> takes in a sweep.</summary>
public static class SweepParameters
{
    public const string Baseline = "baseline", Steps = "steps", Rule = "rule", MultiplyByInputs = "multiply_by_inputs";
    public const string Iterations = "iterations", MaskSize = "mask_size", Layer = "layer", Samples = "samples", Noise = "noise";
    public const string Variant = "variant";
    public const string Window = "window", Stride = "stride", Fill = "fill", Masks = "masks", Grid = "grid", Probability = "probability";
    public const string L1 = "l1", TotalVariation = "tv";
    public const string MaxSigma = "max_sigma", GradStep = "grad_step", Fraction = "fraction", MaxDistance = "max_dist", Anchors = "anchors";

    static readonly ParameterDefinition[] integratedGradients =
    {
        new(Baseline, ParameterKind.Baseline, "black"),
        new(Steps, ParameterKind.Steps, "50"),
        new(Rule, ParameterKind.Rule, QuadratureRule.GaussLegendreName),
        new(MultiplyByInputs, ParameterKind.Flag, "true"),
    };

    static readonly ParameterDefinition[] noiseTunnel =
    {
        new(Samples, ParameterKind.Count, "50"),
        new(Noise, ParameterKind.Number, "0.15"),
    };

    /// <summary>The parameters of a method, or null for a name the catalog does not know.</summary>
    public static IReadOnlyList<ParameterDefinition>? For(string method) => method switch
    {
        "ig" => integratedGradients,
        // I-GOS's baseline is a substrate: blur:6.25:7 is the reference's 7×7 OpenCV blur on 28-pixel images.
        "igos" => new ParameterDefinition[] { new(Iterations, ParameterKind.Count, "15"), new(MaskSize, ParameterKind.Count, null), new(Baseline, ParameterKind.Substrate, Substrate.Blur.Name) },
        // iGOS++'s mask size follows the image's side when left out, as I-GOS's; l1 and tv weigh its area and bilateral TV.
        "igos-pp" => new ParameterDefinition[]
        {
            new(Iterations, ParameterKind.Count, Text(IgosPlusPlusOptions.DefaultIterations)), new(MaskSize, ParameterKind.Count, null),
            new(L1, ParameterKind.Number, ParameterDefinition.FormatNumber(IgosPlusPlusOptions.DefaultL1)),
            new(TotalVariation, ParameterKind.Number, ParameterDefinition.FormatNumber(IgosPlusPlusOptions.DefaultTotalVariation)),
            new(Baseline, ParameterKind.Substrate, Substrate.Blur.Name),
        },
        "gradcam" => new ParameterDefinition[] { new(Layer, ParameterKind.Name, null) },
        // Window and stride follow the image's side when left out (OcclusionOptions).
        "occlusion" => new ParameterDefinition[] { new(Window, ParameterKind.Count, null), new(Stride, ParameterKind.Count, null), new(Fill, ParameterKind.Substrate, OcclusionOptions.DefaultFill) },
        "rise" => new ParameterDefinition[]
        {
            new(Masks, ParameterKind.Count, Text(RiseOptions.DefaultMasks)), new(Grid, ParameterKind.Count, Text(RiseOptions.DefaultGrid)),
            new(Probability, ParameterKind.Probability, ParameterDefinition.FormatNumber(RiseOptions.DefaultProbability)), new(Fill, ParameterKind.Substrate, RiseOptions.DefaultFill),
        },
        // max_sigma follows the image's side when left out (BlurIntegratedGradientsOptions).
        "blur-ig" => new ParameterDefinition[]
        {
            new(MaxSigma, ParameterKind.PositiveNumber, null), new(Steps, ParameterKind.Count, Text(BlurIntegratedGradientsOptions.DefaultSteps)),
            new(GradStep, ParameterKind.PositiveNumber, ParameterDefinition.FormatNumber(BlurIntegratedGradientsOptions.DefaultGradStep)),
        },
        "guided-ig" => new ParameterDefinition[]
        {
            new(Baseline, ParameterKind.Baseline, GuidedIntegratedGradientsOptions.DefaultBaseline),
            new(Steps, ParameterKind.Count, Text(GuidedIntegratedGradientsOptions.DefaultSteps)),
            new(Fraction, ParameterKind.Fraction, ParameterDefinition.FormatNumber(GuidedIntegratedGradientsOptions.DefaultFraction)),
            new(MaxDistance, ParameterKind.Fraction, ParameterDefinition.FormatNumber(GuidedIntegratedGradientsOptions.DefaultMaxDistance)),
            new(Anchors, ParameterKind.NonNegativeCount, Text(GuidedIntegratedGradientsOptions.DefaultAnchors)),
        },
        "smoothgrad" or "smoothgrad-sq" or "vargrad" => noiseTunnel,
        "gradient" or "gradient-x-input" or "random" or "edge" => Array.Empty<ParameterDefinition>(),
        // Variants only tell apart the trials of a sweep that measures the machinery with many of them.
        "noop" => new ParameterDefinition[] { new(Variant, ParameterKind.Count, "1") },
        _ => null,
    };

    static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parameters every trial of the method names, whether or not the spec does: IG's path is meaningless without them, Guided IG's without its baseline.</summary>
    public static IReadOnlyList<string> AlwaysNamed(string method) => method switch
    {
        "ig" => new[] { Baseline, Steps, Rule },
        "guided-ig" => new[] { Baseline },
        _ => Array.Empty<string>(),
    };
}
