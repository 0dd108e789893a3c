using static TorchSharp.torch;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// The linear imputation of ROAD (Rong et al. 2022): every removed pixel takes the weighted mean of its eight neighbours
/// inside the image, weight 1/6 for the four beside it and 1/12 for the four diagonal, whether those are kept or removed
/// themselves. That is one sparse linear system per channel, symmetric and positive definite as long as one pixel is kept.
/// The reference builds the system and solves it directly with SciPy; here it is solved without building it, by conjugate
/// gradients on the 3 × 3 stencil as a convolution, so a batch of images and masks is solved at once on the model's device.
/// </summary>
public static class LinearImputation
{
    /// <summary>The residual, relative to the right-hand side, at which a system counts as solved.</summary>
    public const double Tolerance = 1e-9;

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
            var u = removed.to(float64).expand(n, channels, height, width);
            var known = 1 - u;
            if ((known.sum([2, 3]) == 0).any().item<bool>())
                throw new ArgumentException("linear imputation needs at least one kept pixel in every image");
            var stencil = tensor(new[] { 1 / 12.0, 1 / 6.0, 1 / 12.0, 1 / 6.0, 0, 1 / 6.0, 1 / 12.0, 1 / 6.0, 1 / 12.0 }, float64, images.device)
                .view(1, 1, 3, 3).expand(channels, 1, 3, 3).contiguous();
            Tensor Neighbours(Tensor x) => nn.functional.conv2d(x, stencil, padding: [1, 1], groups: channels);
            // The weight a pixel's neighbours inside the image carry: 1 inside, less along the border.
            var weight = Neighbours(ones(1, channels, height, width, float64, images.device));
            Tensor Apply(Tensor x) => u * (weight * x - Neighbours(u * x));

            var b = u * Neighbours(known * x0);
            // Start from each image's mean kept value, which is the answer where the image is flat.
            var x = u * ((known * x0).sum([2, 3], keepdim: true) / known.sum([2, 3], keepdim: true));
            var r = b - Apply(x);
            var p = r.clone();
            var rs = (r * r).sum([2, 3], keepdim: true);
            var bound = (b * b).sum([2, 3], keepdim: true).clamp_min(1e-300) * (Tolerance * Tolerance);
            // In exact arithmetic conjugate gradients end within as many iterations as there are unknowns; the
            // stencil's condition grows with the square of a hole's width, so the iterations it needs grow with the width.
            var limit = 40 * Math.Max(height, width) + 100;
            iterations = 0;
            for (var iteration = 0; iteration < limit; iteration++)
            {
                iterations = iteration + 1;
                using var step = NewDisposeScope();
                var ap = Apply(p);
                var curvature = (p * ap).sum([2, 3], keepdim: true);
                var alpha = where(curvature > 0, rs / curvature.clamp_min(1e-300), zeros_like(curvature));
                x.add_(alpha * p);
                r.sub_(alpha * ap);
                var next = (r * r).sum([2, 3], keepdim: true);
                if (iteration % 8 == 7 && (next <= bound).all().item<bool>()) break;
                var beta = where(rs > 0, next / rs.clamp_min(1e-300), zeros_like(rs));
                p.mul_(beta).add_(r);
                rs.copy_(next);
            }
            result = (x + known * x0).MoveToOuterDisposeScope();
        }
        return result;
    }
}
