namespace Saliency.Attribution.Sweeps;

/// <summary>
/// One point of a sweep: a method and the value of each of its parameters, in the order the spec
/// names them. Trials are numbered from 0 in the order the spec expands them.
/// </summary>
public sealed record Trial(int Index, string Method, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>For tables and plots: <c>ig baseline=black steps=16</c>.</summary>
    public string Label => Parameters.Count == 0 ? Method : $"{Method} {string.Join(" ", Parameters.Select(p => $"{p.Key}={p.Value}"))}";

    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;
}
