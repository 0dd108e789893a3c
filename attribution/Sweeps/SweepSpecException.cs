namespace Saliency.Attribution.Sweeps;

/// <summary>
/// A sweep file that cannot run, located the way compilers locate errors:
/// <c>spec.yaml:7: methods.ig.baseline: unknown baseline 'blurr' (known: ...)</c>.
/// </summary>
public sealed class SweepSpecException : Exception
{
    public SweepSpecException(string file, int line, string field, string problem, Exception? inner = null)
        : base(Describe(file, line, field, problem), inner)
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public string File { get; }
    /// <summary>1-based line of the offending node; 0 for the file as a whole.</summary>
    public int Line { get; }
    /// <summary>Dotted path of the field, e.g. <c>methods.ig.steps</c>; empty for the file as a whole.</summary>
    public string Field { get; }
    /// <summary>The message without its location.</summary>
    public string Problem { get; }

    static string Describe(string file, int line, string field, string problem) =>
        (line > 0 ? $"{file}:{line}: " : $"{file}: ") + (field.Length == 0 ? problem : $"{field}: {problem}");
}
