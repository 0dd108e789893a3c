using Saliency.Attribution.Data;

namespace Saliency.Attribution.Rendering;

/// <summary>
/// An attribution map made ready to colour, after Captum's visualization._normalize_attr: channels are
/// summed into one height × width plane, the sign mode keeps what it shows, and values are divided by an
/// outlier threshold and clipped to [0, 1] ([−1, 1] for <see cref="SignMode.All"/>).
/// The threshold is a plain percentile of the kept magnitudes, not Captum's cumulative-sum threshold:
/// under a cumulative sum one pixel a thousand times larger than the rest sets the threshold by itself
/// and washes the rest of the map out.
/// </summary>
public sealed record HeatPlane(int Height, int Width, SignMode Sign, double Threshold, float[] Values)
{
    public float this[int y, int x] => Values[y * Width + x];

    /// <param name="map">Channel-first values shaped as <paramref name="shape"/>.</param>
    /// <param name="thresholdPercentile">
    /// Percentile of the nonzero kept magnitudes that reaches full colour. Zeros are left out so that a
    /// sparse map is not given a threshold of 0 and rendered blank.
    /// </param>
    public static HeatPlane Normalise(ReadOnlySpan<float> map, ImageShape shape, SignMode sign, double thresholdPercentile = 98)
    {
        if (map.Length != shape.Size)
            throw new ArgumentException($"an attribution map of {map.Length} values is not shaped {shape}", nameof(map));
        if (!(thresholdPercentile > 0 && thresholdPercentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(thresholdPercentile), $"threshold percentile must be in (0, 100], got {thresholdPercentile}");

        var plane = SumOverChannels(map, shape);
        var magnitudes = new List<float>(plane.Length);
        for (var i = 0; i < plane.Length; i++)
        {
            plane[i] = Keep(plane[i], sign);
            if (plane[i] != 0) magnitudes.Add(Math.Abs(plane[i]));
        }

        var threshold = Percentile(magnitudes, thresholdPercentile);
        if (threshold > 0)
        {
            var lowest = sign == SignMode.All ? -1f : 0f;
            for (var i = 0; i < plane.Length; i++)
                plane[i] = Math.Clamp((float)(plane[i] / threshold), lowest, 1f);
        }
        return new HeatPlane(shape.Height, shape.Width, sign, threshold, plane);
    }

    static float[] SumOverChannels(ReadOnlySpan<float> map, ImageShape shape)
    {
        var size = shape.Height * shape.Width;
        var plane = new float[size];
        for (var c = 0; c < shape.Channels; c++)
            for (var i = 0; i < size; i++)
            {
                var value = map[c * size + i];
                if (!float.IsFinite(value))
                    throw new ArgumentException($"attribution map holds {value} at channel {c}, pixel {i}; only finite maps can be shown", nameof(map));
                plane[i] += value;
            }
        return plane;
    }

    static float Keep(float value, SignMode sign) => sign switch
    {
        SignMode.Positive => Math.Max(value, 0f),
        SignMode.Negative => Math.Max(-value, 0f),
        SignMode.Absolute => Math.Abs(value),
        SignMode.All => value,
        _ => throw new ArgumentOutOfRangeException(nameof(sign), sign, "unknown sign mode"),
    };

    /// <summary>Linear interpolation between the nearest ranks, as numpy.percentile does by default.</summary>
    static double Percentile(List<float> values, double percentile)
    {
        if (values.Count == 0) return 0;
        values.Sort();
        var rank = percentile / 100 * (values.Count - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, values.Count - 1);
        return values[below] + (rank - below) * (values[above] - values[below]);
    }
}
