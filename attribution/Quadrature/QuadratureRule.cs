namespace Saliency.Attribution.Quadrature;

/// <summary>
/// A rule for approximating ∫₀¹ f(α) dα by Σ wₖ f(αₖ) with n points. The names are those of Captum's
/// approximation methods, so sweeps written for it read the same here.
/// </summary>
public sealed record QuadratureRule
{
    public const string RiemannLeft = "riemann_left";
    public const string RiemannRight = "riemann_right";
    public const string RiemannMiddle = "riemann_middle";
    public const string RiemannTrapezoid = "riemann_trapezoid";
    public const string GaussLegendreName = "gausslegendre";

    public static IReadOnlyList<string> Names { get; } =
        new[] { RiemannLeft, RiemannRight, RiemannMiddle, RiemannTrapezoid, GaussLegendreName };

    public static QuadratureRule Default { get; } = new(GaussLegendreName);

    QuadratureRule(string name) => Name = name;

    public string Name { get; }

    public static QuadratureRule Parse(string name) =>
        Names.Contains(name)
            ? new QuadratureRule(name)
            : throw new ArgumentException($"unknown quadrature rule '{name}' (known: {string.Join(", ", Names)})");

    /// <summary>The points αₖ in [0, 1] and weights wₖ (summing to 1) of an n-point rule.</summary>
    public (double[] Alphas, double[] Weights) Points(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), $"steps must be at least 1, got {n}");
        if (Name == RiemannTrapezoid && n < 2)
            throw new ArgumentOutOfRangeException(nameof(n), $"steps must be at least 2 for {RiemannTrapezoid}, got {n}");
        return Name switch
        {
            RiemannLeft => (Enumerable.Range(0, n).Select(k => (double)k / n).ToArray(), Uniform(n)),
            RiemannRight => (Enumerable.Range(1, n).Select(k => (double)k / n).ToArray(), Uniform(n)),
            RiemannMiddle => (Enumerable.Range(0, n).Select(k => (k + 0.5) / n).ToArray(), Uniform(n)),
            RiemannTrapezoid => (Enumerable.Range(0, n).Select(k => (double)k / (n - 1)).ToArray(),
                Enumerable.Range(0, n).Select(k => (k == 0 || k == n - 1 ? 0.5 : 1.0) / (n - 1)).ToArray()),
            _ => GaussLegendre.OnUnitInterval(n),
        };
    }

    static double[] Uniform(int n) => Enumerable.Repeat(1.0 / n, n).ToArray();

    public override string ToString() => Name;
}
