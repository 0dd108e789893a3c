using System.Globalization;
using Saliency.Attribution.Baselines;
using Saliency.Attribution.Data;
using Saliency.Attribution.Metrics;

namespace Saliency.Attribution.Methods;

/// <summary>
/// The values a method is built with: each parameter as given (a trial's, or <c>attribute --param</c>'s), else its
/// default, in the one canonical form <see cref="ParameterDefinition.Canonical"/> gives; and what every method shares:
/// the score it explains, its batch, the seed of its random draws, and where <c>expected:K</c> baselines draw references.
/// </summary>
public sealed class MethodArguments
{
    readonly IReadOnlyDictionary<string, string?> values;

    MethodArguments(IReadOnlyDictionary<string, string?> values, ScoreKind score, int batch, long seed, Func<ImageCatalog> references) =>
        (this.values, Score, Batch, Seed, References) = (values, score, batch, seed, references);

    /// <param name="given">The value given for a parameter, null when none was.</param>
    /// <exception cref="ArgumentException">A value is not one its parameter takes, naming the method and the parameter.</exception>
    public static MethodArguments For(MethodDescriptor method, Func<string, string?> given, ScoreKind score = ScoreKind.Logit, int batch = 64,
        long seed = 0, Func<ImageCatalog>? references = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var parameter in method.Parameters)
        {
            var text = given(parameter.Name);
            try { values[parameter.Name] = text is null ? parameter.Default : parameter.Canonical(text); }
            catch (ArgumentException e) { throw new ArgumentException($"{method.Name} {parameter.Name}: {e.Message}", e); }
        }
        return new MethodArguments(values, score, batch, seed, references ?? NoReferences);
    }

    public ScoreKind Score { get; }
    public int Batch { get; }
    public long Seed { get; }
    public Func<ImageCatalog> References { get; }

    /// <summary>The parameter's value as text; null when neither given nor defaulted (the method then works it out).</summary>
    public string? Text(string parameter) =>
        values.TryGetValue(parameter, out var value) ? value : throw new ArgumentException($"no parameter '{parameter}' in {string.Join(", ", values.Keys)}");

    /// <summary>Every parameter's value, defaults included, as <c>attributions.json</c> records them.</summary>
    public IReadOnlyDictionary<string, string> Values => values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!);

    string Required(string parameter) => Text(parameter) ?? throw new InvalidOperationException($"parameter '{parameter}' has no value and no default");

    public int Integer(string parameter) => int.Parse(Required(parameter), CultureInfo.InvariantCulture);

    public int? OptionalInteger(string parameter) => Text(parameter) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    public double Number(string parameter) => double.Parse(Required(parameter), CultureInfo.InvariantCulture);

    public double? OptionalNumber(string parameter) => Text(parameter) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : null;

    public bool Flag(string parameter) => Required(parameter) == "true";

    public Substrate Substrate(string parameter) => Metrics.Substrate.Parse(Required(parameter));

    public Baseline Baseline(string parameter) => Baselines.Baseline.Parse(Required(parameter), References);

    static ImageCatalog NoReferences() => throw new InvalidOperationException("this method was built without reference images");
}
