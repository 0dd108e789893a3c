using MathNet.Numerics.LinearAlgebra;
using Saliency.Attribution.Metrics;
using static TorchSharp.torch;

namespace Saliency.Attribution.Tests;

/// <summary>
/// ROAD's linear imputation at a size where its multigrid preconditioner has several levels (64 → 32 → 16 → 8), against the
/// same sparse system written out entry by entry and solved directly in float64 (MathNet's Cholesky factorisation).
/// </summary>
public class LinearImputationTests
{
    const int Size = 64;
    const int Channels = 3;

    static readonly (int Dy, int Dx, double Weight)[] Neighbourhood =
        [(-1, -1, 1 / 12.0), (-1, 0, 1 / 6.0), (-1, 1, 1 / 12.0), (0, -1, 1 / 6.0), (0, 1, 1 / 6.0), (1, -1, 1 / 12.0), (1, 0, 1 / 6.0), (1, 1, 1 / 12.0)];

    /// <summary>A smooth photograph-like image with texture, the same on every machine.</summary>
    static double Pixel(int c, int y, int x) =>
        0.5 + 0.3 * Math.Sin(0.11 * x + 0.7 * c) * Math.Cos(0.07 * y) + 0.1 * Math.Sin(1.3 * x * y + c);

    /// <summary>A pseudo-random number in [0, 1) from a position, the same on every machine.</summary>
    static double Hash(int y, int x, int seed) => ((y * 7919 + x * 104_729 + seed * 1_299_709) * 2_654_435_761L % 1_000_003 + 1_000_003) % 1_000_003 / 1_000_003.0;

    /// <summary>
    /// Three masks: a 40 × 36 hole plus 15% scattered; a hole over a corner and along two borders; and 70% removed
    /// at random.
    /// </summary>
    static bool[][,] Masks()
    {
        var masks = new bool[3][,];
        for (var m = 0; m < masks.Length; m++) masks[m] = new bool[Size, Size];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                masks[0][y, x] = (y is >= 12 and < 52 && x is >= 20 and < 56) || Hash(y, x, 1) < 0.15;
                masks[1][y, x] = (y < 30 && x < 40) || x >= Size - 5 || y >= Size - 3;
                masks[2][y, x] = Hash(y, x, 2) < 0.7;
            }
        }
        return masks;
    }

    /// <summary>The system of one mask and channel, entry by entry: its matrix, right-hand side and the unknowns' pixels.</summary>
    static (Matrix<double> A, Vector<double> B, (int Y, int X)[] Unknowns) System(bool[,] removed, int channel)
    {
        var unknowns = new List<(int, int)>();
        var index = new int[Size, Size];
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
                index[y, x] = removed[y, x] ? AddAndCount(unknowns, (y, x)) : -1;
        var a = Matrix<double>.Build.Dense(unknowns.Count, unknowns.Count);
        var b = Vector<double>.Build.Dense(unknowns.Count);
        foreach (var (i, (y, x)) in unknowns.Select((p, i) => (i, p)))
        {
            foreach (var (dy, dx, w) in Neighbourhood)
            {
                var (ny, nx) = (y + dy, x + dx);
                if (ny is < 0 or >= Size || nx is < 0 or >= Size) continue;
                a[i, i] += w;
                if (index[ny, nx] >= 0) a[i, index[ny, nx]] -= w;
                else b[i] += w * Pixel(channel, ny, nx);
            }
        }
        return (a, b, [.. unknowns]);
    }

    static int AddAndCount(List<(int, int)> list, (int, int) item)
    {
        list.Add(item);
        return list.Count - 1;
    }

    static (double[] Imputed, int Iterations) Impute(bool[][,] masks)
    {
        using var scope = NewDisposeScope();
        var image = new double[Channels * Size * Size];
        for (var c = 0; c < Channels; c++)
            for (var y = 0; y < Size; y++)
                for (var x = 0; x < Size; x++)
                    image[(c * Size + y) * Size + x] = Pixel(c, y, x);
        var removed = tensor(masks.SelectMany(m => m.Cast<bool>()).ToArray(), [masks.Length, 1, Size, Size]);
        var imputed = LinearImputation.Impute(tensor(image, [1, Channels, Size, Size]).expand(masks.Length, -1, -1, -1), removed, out var iterations);
        return (imputed.contiguous().data<double>().ToArray(), iterations);
    }

    static readonly Lazy<bool[][,]> SharedMasks = new(Masks);
    static readonly Lazy<(double[] Imputed, int Iterations)> Imputed = new(() => Impute(SharedMasks.Value));

    static double At(double[] imputed, int mask, int channel, int y, int x) => imputed[((mask * Channels + channel) * Size + y) * Size + x];

    [Fact]
    public void Imputation_with_several_grid_levels_agrees_with_a_direct_solve_of_the_same_system()
    {
        var (masks, imputed) = (SharedMasks.Value, Imputed.Value.Imputed);

        var worst = 0.0;
        for (var m = 0; m < masks.Length; m++)
        {
            var systems = Enumerable.Range(0, Channels).Select(c => System(masks[m], c)).ToArray();
            var exact = systems[0].A.Cholesky().Solve(Matrix<double>.Build.DenseOfColumnVectors(systems.Select(s => s.B)));
            for (var c = 0; c < Channels; c++)
                worst = Math.Max(worst, systems[c].Unknowns.Select((p, i) => Math.Abs(exact[i, c] - At(imputed, m, c, p.Y, p.X))).Max());
        }
        Assert.True(worst < 1e-7, $"largest difference from the direct solve {worst}");
    }

    [Fact]
    public void Every_system_meets_the_relative_residual_tolerance()
    {
        var (masks, imputed) = (SharedMasks.Value, Imputed.Value.Imputed);

        for (var m = 0; m < masks.Length; m++)
        {
            for (var c = 0; c < Channels; c++)
            {
                var (a, b, unknowns) = System(masks[m], c);
                var x = Vector<double>.Build.Dense(unknowns.Length, i => At(imputed, m, c, unknowns[i].Y, unknowns[i].X));
                var relative = (b - a * x).L2Norm() / b.L2Norm();
                Assert.True(relative <= LinearImputation.Tolerance, $"mask {m}, channel {c}: relative residual {relative}");
            }
        }
    }

    [Fact]
    public void Kept_pixels_keep_their_values()
    {
        var (masks, imputed) = (SharedMasks.Value, Imputed.Value.Imputed);

        for (var m = 0; m < masks.Length; m++)
            for (var c = 0; c < Channels; c++)
                for (var y = 0; y < Size; y++)
                    for (var x = 0; x < Size; x++)
                        if (!masks[m][y, x]) Assert.Equal(Pixel(c, y, x), At(imputed, m, c, y, x), 12);
    }

    /// <summary>Unpreconditioned, the iterations grow with the width of the widest hole; the V-cycle keeps them to a few dozen.</summary>
    [Fact]
    public void A_wide_hole_converges_in_a_few_dozen_iterations()
    {
        var iterations = Imputed.Value.Iterations;

        Assert.InRange(iterations, 1, 60);
    }

    [Fact]
    public void A_hole_whose_kept_neighbours_are_all_black_is_imputed_black_though_other_kept_pixels_are_not()
    {
        // The right-hand side is 0, so no residual is small beside it: the solve is judged against its first residual there.
        using var scope = NewDisposeScope();
        var image = zeros(1, 1, Size, Size, float64);
        image[0, 0, Size - 1, Size - 1] = tensor(1.0);
        var removed = zeros(1, 1, Size, Size, ScalarType.Bool);
        removed[0, 0, 8..40, 8..40] = tensor(true);

        var imputed = LinearImputation.Impute(image, removed);

        Assert.True(imputed.abs().max().item<double>() <= 1.0);
        Assert.True(imputed[0, 0, 8..40, 8..40].abs().max().item<double>() < 1e-6);
    }

    [Fact]
    public void Imputation_refuses_pixels_that_are_not_finite()
    {
        using var scope = NewDisposeScope();
        var image = rand(1, 1, 6, 6, float64);
        image[0, 0, 2, 2] = tensor(double.NaN);
        var removed = zeros(1, 1, 6, 6, ScalarType.Bool);
        removed[0, 0, 3, 3] = true;

        var error = Assert.Throws<ArgumentException>(() => LinearImputation.Impute(image, removed));
        Assert.Contains("finite", error.Message);
    }
}
