namespace Saliency.Attribution.Quadrature;

/// <summary>
/// Gauss–Legendre nodes and weights: exact for polynomials of degree 2n − 1. Nodes are the roots of
/// the Legendre polynomial Pₙ, found by Newton's method from the Tricomi initial guess.
/// </summary>
public static class GaussLegendre
{
    /// <summary>Nodes and weights on [−1, 1], nodes ascending; the weights sum to 2.</summary>
    public static (double[] Nodes, double[] Weights) OnSymmetricInterval(int n)
    {
        var nodes = new double[n];
        var weights = new double[n];
        for (var i = 0; i < (n + 1) / 2; i++)
        {
            var x = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative;
            for (var iteration = 0; ; iteration++)
            {
                (var value, derivative) = Legendre(n, x);
                var step = value / derivative;
                x -= step;
                if (Math.Abs(step) < 1e-15 || iteration == 100) break;
            }
            (_, derivative) = Legendre(n, x);
            var weight = 2.0 / ((1 - x * x) * derivative * derivative);
            nodes[i] = -x;
            nodes[n - 1 - i] = x;
            weights[i] = weights[n - 1 - i] = weight;
        }
        return (nodes, weights);
    }

    /// <summary>Nodes mapped to [0, 1] and weights scaled to sum to 1.</summary>
    public static (double[] Alphas, double[] Weights) OnUnitInterval(int n)
    {
        var (nodes, weights) = OnSymmetricInterval(n);
        return (nodes.Select(x => (x + 1) / 2).ToArray(), weights.Select(w => w / 2).ToArray());
    }

    /// <summary>Pₙ(x) and Pₙ'(x) by the three-term recurrence.</summary>
    static (double Value, double Derivative) Legendre(int n, double x)
    {
        double previous = 1, current = x;
        if (n == 0) return (1, 0);
        for (var k = 2; k <= n; k++)
            (previous, current) = (current, ((2 * k - 1) * x * current - (k - 1) * previous) / k);
        return (current, n * (x * current - previous) / (x * x - 1));
    }
}
