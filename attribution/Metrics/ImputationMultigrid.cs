using static TorchSharp.torch;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// A symmetric multigrid V-cycle for the systems of <see cref="LinearImputation"/>, as the preconditioner of conjugate
/// gradients: one Jacobi sweep before and after each coarse correction (damped on the finest grid, ℓ1 on the coarse ones), bilinear prolongation between grids whose
/// points are every other point of the finer one, its transpose as restriction, Galerkin coarse operators (restriction ×
/// operator × prolongation, a 3 × 3 stencil per coarse point, found by applying the operator to nine probes), and an exact
/// pseudo-inverse on the coarsest grid of at most 8 × 8 points. The masks of removed pixels differ per image, so every
/// level holds per-image stencils [N, 9, h, w]; the channels share them.
/// <para>
/// Unpreconditioned, the iterations grow with the width of the widest hole (thousands at 224 × 224); the V-cycle damps
/// every scale of error at once, so the iterations stay near a few dozen at any size.
/// </para>
/// </summary>
sealed class ImputationMultigrid
{
    const double JacobiDamping = 0.8;
    const long CoarsestSize = 8;

    sealed record Level(Func<Tensor, Tensor> Apply, Tensor InverseDiagonal, long Height, long Width);

    readonly List<Level> levels = [];
    readonly Tensor coarsestInverse;
    readonly Tensor bilinear;
    readonly Tensor unknown;

    /// <param name="apply">The finest operator, for any number of channels.</param>
    /// <param name="diagonal">[N, 1, H, W]: the finest operator's diagonal, zero where a pixel is kept.</param>
    public ImputationMultigrid(Func<Tensor, Tensor> apply, Tensor diagonal)
    {
        bilinear = tensor(new[] { 0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25 }, float64, diagonal.device).view(1, 1, 3, 3);
        unknown = (diagonal > 0).to(float64);
        var (height, width) = (diagonal.shape[2], diagonal.shape[3]);
        levels.Add(new Level(apply, InverseOf(diagonal), height, width));
        while (Math.Max(height, width) > CoarsestSize)
        {
            var stencils = GalerkinStencils(levels[^1]);
            (height, width) = (stencils.shape[2], stencils.shape[3]);
            levels.Add(new Level(x => ApplyStencils(stencils, x), L1InverseOf(stencils), height, width));
        }
        coarsestInverse = PseudoInverse(levels[^1]);
    }

    /// <summary>
    /// An approximate solution of the system for the right-hand side <paramref name="residual"/> [N, C, H, W], zero at
    /// the kept pixels, where the coarse corrections would otherwise spill over from the removed ones.
    /// </summary>
    public Tensor Cycle(Tensor residual) => Cycle(residual, 0).mul_(unknown);

    Tensor Cycle(Tensor b, int depth)
    {
        var level = levels[depth];
        if (depth == levels.Count - 1)
        {
            var (n, channels) = (b.shape[0], b.shape[1]);
            return matmul(coarsestInverse.unsqueeze(1), b.reshape(n, channels, -1, 1)).view(b.shape);
        }
        var x = level.InverseDiagonal * b;
        var coarse = Cycle(Restrict(b - level.Apply(x)), depth + 1);
        x.add_(Prolong(coarse, level.Height, level.Width));
        return x.add_(level.InverseDiagonal * (b - level.Apply(x)));
    }

    static Tensor InverseOf(Tensor diagonal) =>
        where(diagonal > 0, JacobiDamping / diagonal.clamp_min(1e-300), zeros_like(diagonal));

    /// <summary>
    /// On the coarse grids the masks can leave a point's off-diagonal coefficients as large as its diagonal, where damped
    /// Jacobi may amplify rather than smooth; dividing by the row's absolute sum (ℓ1 Jacobi) smooths for any such stencil.
    /// </summary>
    static Tensor L1InverseOf(Tensor stencils)
    {
        var sum = stencils.abs().sum([1], keepdim: true);
        return where(stencils[.., 4..5] > 0, 1 / sum.clamp_min(1e-300), zeros_like(sum));
    }

    Tensor Kernel(long channels) => bilinear.expand(channels, 1, 3, 3).contiguous();

    /// <summary>Onto the grid of every other point, with the bilinear weights: the transpose of <see cref="Prolong"/>.</summary>
    Tensor Restrict(Tensor x) => nn.functional.conv2d(x, Kernel(x.shape[1]), strides: [2, 2], padding: [1, 1], groups: x.shape[1]);

    Tensor Prolong(Tensor x, long height, long width) =>
        nn.functional.conv_transpose2d(x, Kernel(x.shape[1]), null, [2, 2], [1, 1],
            [height - (2 * x.shape[2] - 1), width - (2 * x.shape[3] - 1)], null, x.shape[1]);

    /// <summary>
    /// The coarse operator's 3 × 3 stencil at every coarse point. Probe (a, b) is one at the coarse points whose
    /// coordinates are (a, b) modulo 3; each point's 3 × 3 neighbourhood holds exactly one of them, so the probe's image
    /// under the coarse operator gives, at each point, the coefficient of that one neighbour.
    /// </summary>
    Tensor GalerkinStencils(Level fine)
    {
        var n = fine.InverseDiagonal.shape[0];
        var (height, width) = ((fine.Height + 1) / 2, (fine.Width + 1) / 2);
        var device = fine.InverseDiagonal.device;
        var rows = arange(height, device: device).view(-1, 1);
        var columns = arange(width, device: device).view(1, -1);
        var stencils = zeros(n, 9, height, width, float64, device);
        for (var a = 0; a < 3; a++)
        {
            for (var b = 0; b < 3; b++)
            {
                var probe = ((rows % 3 == a) & (columns % 3 == b)).to(float64).expand(n, 1, height, width);
                var image = Restrict(fine.Apply(Prolong(probe, fine.Height, fine.Width)));
                for (var k = 0; k < 9; k++)
                {
                    var (dy, dx) = (k / 3 - 1, k % 3 - 1);
                    var owner = (((rows + dy + 3) % 3 == a) & ((columns + dx + 3) % 3 == b)).to(float64);
                    stencils[.., k..(k + 1)].add_(image * owner);
                }
            }
        }
        return stencils;
    }

    /// <summary>x [N, C, h, w] under per-image stencils [N, 9, h, w], zero outside the grid.</summary>
    static Tensor ApplyStencils(Tensor stencils, Tensor x)
    {
        var (height, width) = (x.shape[2], x.shape[3]);
        var padded = nn.functional.pad(x, [1, 1, 1, 1]);
        var result = zeros_like(x);
        for (var k = 0; k < 9; k++)
        {
            var (dy, dx) = (k / 3, k % 3);
            result.add_(stencils[.., k..(k + 1)] * padded[.., .., dy..(dy + (int)height), dx..(dx + (int)width)]);
        }
        return result;
    }

    /// <summary>
    /// The coarsest operator's pseudo-inverse [N, m, m]. Coarse points that touch only kept pixels have zero rows; a few
    /// scattered removed pixels can also leave the coarse operator singular, so the inverse is the pseudo-inverse, which is
    /// exact on the operator's range, where restricted residuals lie.
    /// </summary>
    static Tensor PseudoInverse(Level coarsest)
    {
        var n = coarsest.InverseDiagonal.shape[0];
        var points = coarsest.Height * coarsest.Width;
        var columns = eye(points, dtype: float64, device: coarsest.InverseDiagonal.device)
            .view(1, points, coarsest.Height, coarsest.Width).expand(n, points, coarsest.Height, coarsest.Width);
        var matrices = coarsest.Apply(columns).view(n, points, points);
        return linalg.pinv((matrices + matrices.transpose(1, 2)) / 2, hermitian: true);
    }
}
