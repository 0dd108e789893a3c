namespace Saliency.Attribution.Results;

/// <summary>
/// The 0.975 quantile of Student's t distribution, the multiplier of a two-sided 95% interval of a
/// mean. Degrees of freedom 1 to 30 come from the standard table (e.g. NIST/SEMATECH e-Handbook,
/// table 1.3.6.7.2); beyond 30 the quantile is interpolated linearly in 1/df between the table's
/// values at 30, 40, 60 and 120 and the normal limit 1.960, which is within 0.001 of the exact value.
/// </summary>
public static class StudentT
{
    static readonly double[] UpTo30 =
    {
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    };

    static readonly (double Df, double Quantile)[] Beyond30 =
    {
        (30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980), (double.PositiveInfinity, 1.960),
    };

    public static double Quantile975(long degreesOfFreedom)
    {
        if (degreesOfFreedom < 1)
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), $"degrees of freedom must be at least 1, got {degreesOfFreedom}");
        if (degreesOfFreedom <= UpTo30.Length) return UpTo30[degreesOfFreedom - 1];
        var inverse = 1.0 / degreesOfFreedom;
        for (var i = 1; i < Beyond30.Length; i++)
        {
            var (upperDf, upperQuantile) = Beyond30[i];
            if (degreesOfFreedom > upperDf) continue;
            var (lowerDf, lowerQuantile) = Beyond30[i - 1];
            var upperInverse = 1.0 / upperDf;
            var fraction = (1.0 / lowerDf - inverse) / (1.0 / lowerDf - upperInverse);
            return lowerQuantile + fraction * (upperQuantile - lowerQuantile);
        }
        return 1.960;
    }
}
