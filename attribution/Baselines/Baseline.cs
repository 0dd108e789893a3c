using System.Globalization;
using Saliency.Attribution.Data;

namespace Saliency.Attribution.Baselines;

/// <summary>
/// The reference point x′ of a path method, named as users write it: <c>black</c>, <c>white</c>,
/// <c>blur:σ</c>, <c>blur:σ:k</c>, <c>uniform</c>, <c>gaussian:σ</c>, <c>max-distance</c>, <c>expected:k</c>.
/// Baselines are defined in pixel space [0, 1]; the model's normalisation applies after.
/// </summary>
public abstract record Baseline(string Name)
{
    public static IReadOnlyList<string> Forms { get; } =
        new[] { "black", "white", "blur:SIGMA", "blur:SIGMA:K", "uniform", "gaussian:SIGMA", "max-distance", "expected:K" };

    /// <summary>True when the baseline draws random numbers (seeded per image).</summary>
    public abstract bool IsRandom { get; }

    /// <param name="text">The baseline as written.</param>
    /// <param name="referenceImages">Where <c>expected:k</c> draws its references (the training data).</param>
    public static Baseline Parse(string text, Func<ImageCatalog>? referenceImages = null)
    {
        var (kind, argument) = text.Split(':', 2) is [var k, var a] ? (k, a) : (text, null);
        return kind switch
        {
            "black" when argument is null => new ConstantBaseline("black", 0f),
            "white" when argument is null => new ConstantBaseline("white", 1f),
            "uniform" when argument is null => new UniformNoiseBaseline(),
            "max-distance" when argument is null => new MaxDistanceBaseline(),
            "blur" when argument?.Split(':') is [var sigma, var size] => new BlurBaseline(PositiveNumber(text, sigma, "σ"), OddSize(text, size)),
            "blur" => new BlurBaseline(PositiveNumber(text, argument ?? "5", "σ")),
            "gaussian" => new GaussianNoiseBaseline(PositiveNumber(text, argument ?? "0.5", "σ")),
            "expected" => new ExpectedBaseline(PositiveCount(text, argument ?? "16"),
                referenceImages ?? throw new ArgumentException($"baseline '{text}' needs reference images to draw from")),
            _ => throw new ArgumentException($"unknown baseline '{text}' (known: {string.Join(", ", Forms)})"),
        };
    }

    static double PositiveNumber(string text, string argument, string what) =>
        double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"baseline '{text}': {what} must be a positive number, got '{argument}'");

    static int PositiveCount(string text, string argument) =>
        int.TryParse(argument, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"baseline '{text}': the number of reference images must be a positive integer, got '{argument}'");

    static int OddSize(string text, string argument) =>
        int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && value % 2 == 1
            ? value
            : throw new ArgumentException($"baseline '{text}': the kernel size must be an odd positive integer, got '{argument}'");

    public override string ToString() => Name;

    protected static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
