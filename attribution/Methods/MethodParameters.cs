using System.Globalization;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Metrics;
using Saliency.Attribution.Quadrature;

namespace Saliency.Attribution.Methods;

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

/// <summary>The names of method parameters that several methods share, spelled once.</summary>
public static class MethodParameters
{
    public const string Baseline = "baseline", Steps = "steps", Rule = "rule", MultiplyByInputs = "multiply_by_inputs";
    public const string Iterations = "iterations", MaskSize = "mask_size", Layer = "layer", Samples = "samples", Noise = "noise";
    public const string Fill = "fill";

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Text(double value) => ParameterDefinition.FormatNumber(value);
}
