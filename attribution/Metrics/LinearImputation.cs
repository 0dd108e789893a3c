using static TorchSharp.torch;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// The linear imputation of ROAD (Rong et al. 2022): every removed pixel takes the weighted mean of its eight neighbours
/// inside the image, weight 1/6 for the four beside it and 1/12 for the four diagonal, whether those are kept or removed
/// themselves. That is one sparse linear system per channel, symmetric and positive definite as long as one pixel is kept.
/// The reference builds the system and solves it directly with SciPy; here it is solved without building it, by conjugate
/// gradients on the 3 × 3 stencil, preconditioned by a multigrid V-cycle (<see cref="ImputationMultigrid"/>), so a batch of
/// images and masks is solved at once on the model's device.
/// </summary>
public static class LinearImputation
{
    /// <summary>The residual, relative to the right-hand side (or to the first residual where that is 0), at which a system counts as solved.</summary>
    public const double Tolerance = 1e-9;

    /// <summary>
    /// Preconditioned by <see cref="ImputationMultigrid"/>, the systems of ROAD's masks converge in a few dozen iterations at
    /// any size; a batch that has not converged by this limit is refused rather than returned unsolved.
    /// </summary>
    public const int IterationLimit = 200;

    /// <summary>
    /// The weighted sum of each pixel's eight neighbours inside the image, for any number of channels: the stencil
    /// [1 2 1]ᵀ[1 2 1] / 12 without its centre, as two passes along rows and columns.
    /// </summary>
    static Tensor Neighbours(Tensor x)
    {
        var rows = 2 * x;
        rows[.., .., .., 1..].add_(x[.., .., .., ..^1]);
        rows[.., .., .., ..^1].add_(x[.., .., .., 1..]);
        var both = 2 * rows;
        both[.., .., 1.., ..].add_(rows[.., .., ..^1, ..]);
        both[.., .., ..^1, ..].add_(rows[.., .., 1.., ..]);
        return both.sub_(4 * x).div_(12);
    }

    /// <param name="images">[N, C, H, W] images.</param>
    /// <param name="removed">[N, 1, H, W], true where a pixel is removed; every image keeps at least one pixel.</param>
    /// <returns>[N, C, H, W] in float64: the images with their removed pixels imputed, in the caller's scope.</returns>
    public static Tensor Impute(Tensor images, Tensor removed) => Impute(images, removed, out _);

    /// <inheritdoc cref="Impute(Tensor, Tensor)"/>
    /// <param name="iterations">The iterations the batch took to converge, for measuring the solver.</param>
    public static Tensor Impute(Tensor images, Tensor removed, out int iterations)
    {
        var (n, channels, height, width) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        if (removed.shape is not [var rn, 1, var rh, var rw] || rn != n || rh != height || rw != width)
            throw new ArgumentException($"the removal mask is [{string.Join(", ", removed.shape)}], expected [{n}, 1, {height}, {width}]");
        Tensor result;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var x0 = images.to(float64);
            var u = removed.to(float64);
            var known = 1 - u;
            if ((known.sum([2, 3]) == 0).any().item<bool>())
                throw new ArgumentException("linear imputation needs at least one kept pixel in every image");
            if (!isfinite(x0).all().item<bool>())
                throw new ArgumentException("linear imputation needs finite pixel values");
            // The weight a pixel's neighbours inside the image carry: 1 inside, less along the border.
            var weight = Neighbours(ones(1, 1, height, width, float64, images.device));
            Tensor Apply(Tensor x) => u * (weight * x - Neighbours(u * x));
            var preconditioner = new ImputationMultigrid(Apply, u * weight);

            var b = u * Neighbours(known * x0);
            // Start from each image's mean kept value, which is the answer where the image is flat.
            var x = u * ((known * x0).sum([2, 3], keepdim: true) / known.sum([2, 3], keepdim: true));
            // Relative to the right-hand side; where it vanishes (every kept neighbour of the removed pixels is 0, as on a black
            // background) the answer is 0 and no residual is small beside it, so relative to the first residual there instead.
            var first = b - Apply(x);
            var bound = maximum((b * b).sum([2, 3], keepdim: true), (first * first).sum([2, 3], keepdim: true)).clamp_min(1e-300) * (Tolerance * Tolerance);
            iterations = 0;
            var worst = Solve(Apply, preconditioner.Cycle, b, x, bound, IterationLimit, ref iterations);
            if (worst > 1)
                throw new InvalidOperationException($"linear imputation did not reach a relative residual of {Tolerance:g} in {iterations} iterations "
                    + $"(the worst system is at {Math.Sqrt(worst) * Tolerance:g})");
            result = (x + known * x0).MoveToOuterDisposeScope();
        }
        return result;
    }

    /// <summary>
    /// Preconditioned conjugate gradients on every system of the batch from <paramref name="x"/>, updated in place, until each
    /// residual is within its bound or <paramref name="limit"/> iterations have passed.
    /// </summary>
    /// <returns>The largest squared residual over its bound: at most 1 when every system has converged.</returns>
    static double Solve(Func<Tensor, Tensor> apply, Func<Tensor, Tensor> precondition, Tensor b, Tensor x, Tensor bound, int limit, ref int iterations)
    {
        using var scope = NewDisposeScope();
        var r = b - apply(x);
        var z = precondition(r);
        var p = z.clone();
        var rz = (r * z).sum([2, 3], keepdim: true);
        var squared = (r * r).sum([2, 3], keepdim: true);
        for (var iteration = 0; iteration < limit && !(squared <= bound).all().item<bool>(); iteration++)
        {
            iterations++;
            using var step = NewDisposeScope();
            var ap = apply(p);
            var curvature = (p * ap).sum([2, 3], keepdim: true);
            // A system stops where it converges, so its answer does not depend on which others share its batch.
            var alpha = where((squared > bound) & (curvature > 0), rz / curvature.clamp_min(1e-300), zeros_like(curvature));
            x.add_(alpha * p);
            var previous = r.clone();
            r.sub_(alpha * ap);
            z = precondition(r);
            // Polak–Ribière's β, which keeps conjugate gradients converging when the preconditioner, rounded, is not exactly symmetric.
            var next = (z * (r - previous)).sum([2, 3], keepdim: true);
            var beta = where(rz > 0, next / rz.clamp_min(1e-300), zeros_like(rz));
            p.mul_(beta).add_(z);
            rz.copy_((r * z).sum([2, 3], keepdim: true));
            squared.copy_((r * r).sum([2, 3], keepdim: true));
        }
        return (squared / bound).max().item<double>();
    }
}
