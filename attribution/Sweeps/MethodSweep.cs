using System.Globalization;
using Saliency.Attribution.Methods;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// A range a sampled sweep draws a parameter from, uniformly or, with <see cref="Log"/>, uniformly in
/// log space. Integer ranges include both ends.
/// </summary>
public sealed record ParameterRange(double Min, double Max, bool Log, bool Integer)
{
    /// <returns>The drawn value in canonical form.</returns>
    public string Draw(Random random)
    {
        var u = random.NextDouble();
        if (Integer)
        {
            var value = Log
                ? Math.Min(Max, Math.Floor(Math.Exp(Math.Log(Min) + u * (Math.Log(Max + 1) - Math.Log(Min)))))
                : Math.Min(Max, Min + Math.Floor(u * (Max - Min + 1)));
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }
        var number = Log ? Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min))) : Min + u * (Max - Min);
        return ParameterDefinition.FormatNumber(Math.Clamp(number, Min, Max));
    }

    public override string ToString() =>
        $"{{min: {ParameterDefinition.FormatNumber(Min)}, max: {ParameterDefinition.FormatNumber(Max)}{(Log ? ", log: true" : "")}}}";
}

/// <summary>The values one parameter takes in a sweep: canonical values, or a range when the sweep samples.</summary>
public sealed record ParameterSweep(string Name, IReadOnlyList<string> Values, ParameterRange? Range = null)
{
    public string Draw(Random random) => Range is { } range ? range.Draw(random) : Values[random.Next(Values.Count)];
}

/// <summary>A method of a sweep with the parameters it varies, in the order the spec names them.</summary>
public sealed record MethodSweep(string Method, IReadOnlyList<ParameterSweep> Parameters)
{
    public bool HasRanges => Parameters.Any(p => p.Range is not null);

    /// <summary>How many trials <see cref="Grid"/> gives, counted without making them; saturates rather than overflows.</summary>
    public long GridSize => Parameters.Aggregate(1L, (size, p) => p.Values.Count == 0 ? 0 : size > long.MaxValue / p.Values.Count ? long.MaxValue : size * p.Values.Count);

    /// <summary>Every combination of the parameters' values; the last parameter varies fastest.</summary>
    public IEnumerable<IReadOnlyDictionary<string, string>> Grid()
    {
        if (HasRanges) throw new InvalidOperationException($"method {Method} has ranges, which only a sampled sweep can draw from");
        IEnumerable<IReadOnlyList<string>> combinations = new[] { Array.Empty<string>() };
        foreach (var parameter in Parameters)
            combinations = combinations.SelectMany(prefix => parameter.Values.Select(value => (IReadOnlyList<string>)prefix.Append(value).ToArray())).ToArray();
        return combinations.Select(Named);
    }

    public IReadOnlyDictionary<string, string> Draw(Random random) => Named(Parameters.Select(p => p.Draw(random)).ToArray());

    IReadOnlyDictionary<string, string> Named(IReadOnlyList<string> values)
    {
        // Dictionary keeps insertion order while nothing is removed, so labels list parameters as the spec does.
        var named = new Dictionary<string, string>(Parameters.Count);
        for (var i = 0; i < Parameters.Count; i++) named.Add(Parameters[i].Name, values[i]);
        return named;
    }
}
