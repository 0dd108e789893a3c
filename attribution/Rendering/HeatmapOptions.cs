using Saliency.Attribution.Data;

namespace Saliency.Attribution.Rendering;

/// <summary>How attribution maps are turned into pictures.</summary>
public sealed record HeatmapOptions
{
    public const int DefaultMinimumShorterSide = 112;

    public SignMode Sign { get; init; } = SignMode.Absolute;

    /// <summary>Percentile of the kept magnitudes that reaches full colour; larger ones are clipped (Captum clips the top 2%).</summary>
    public double ThresholdPercentile { get; init; } = 98;

    /// <summary>Opacity of the heat layer over the image where the normalised magnitude is 1; it falls linearly to 0.</summary>
    public double MaxAlpha { get; init; } = 0.6;

    /// <summary>Integer upscaling by nearest neighbour; null picks the smallest that makes the shorter side at least <see cref="MinimumShorterSide"/> pixels.</summary>
    public int? Scale { get; init; }

    public int MinimumShorterSide { get; init; } = DefaultMinimumShorterSide;

    public int ScaleFor(ImageShape shape) =>
        Scale ?? Math.Max(1, (MinimumShorterSide + Math.Min(shape.Height, shape.Width) - 1) / Math.Min(shape.Height, shape.Width));

    public void Validate()
    {
        if (!(ThresholdPercentile > 0 && ThresholdPercentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(ThresholdPercentile), $"threshold percentile must be in (0, 100], got {ThresholdPercentile}");
        if (!(MaxAlpha >= 0 && MaxAlpha <= 1))
            throw new ArgumentOutOfRangeException(nameof(MaxAlpha), $"maximum alpha must be in [0, 1], got {MaxAlpha}");
        if (Scale is < 1)
            throw new ArgumentOutOfRangeException(nameof(Scale), $"scale must be at least 1, got {Scale}");
        if (MinimumShorterSide < 1)
            throw new ArgumentOutOfRangeException(nameof(MinimumShorterSide), $"minimum shorter side must be at least 1 pixel, got {MinimumShorterSide}");
    }
}
