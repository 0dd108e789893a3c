using SkiaSharp;

namespace Saliency.Attribution.Rendering;

/// <summary>
/// A colour scale: anchor colours spaced evenly over [0, 1], linearly interpolated in sRGB.
/// The anchors are taken from ColorBrewer (Brewer, colorbrewer2.org): Greens, Reds, Blues and the
/// diverging RdBu, with pure white where the attribution is zero.
/// </summary>
public sealed class ColourRamp
{
    readonly SKColor[] anchors;

    public ColourRamp(params SKColor[] anchors)
    {
        if (anchors.Length < 2) throw new ArgumentException($"a colour ramp needs at least 2 anchors, got {anchors.Length}", nameof(anchors));
        this.anchors = anchors;
    }

    public static ColourRamp WhiteToGreen { get; } = new(SKColors.White, new(161, 217, 155), new(65, 171, 93), new(0, 109, 44));
    public static ColourRamp WhiteToRed { get; } = new(SKColors.White, new(252, 146, 114), new(239, 59, 44), new(165, 15, 21));
    public static ColourRamp WhiteToBlue { get; } = new(SKColors.White, new(158, 202, 225), new(66, 146, 198), new(8, 81, 156));
    public static ColourRamp BlueWhiteRed { get; } = new(new(33, 102, 172), new(146, 197, 222), SKColors.White, new(244, 165, 130), new(178, 24, 43));

    public static ColourRamp For(SignMode sign) => sign switch
    {
        SignMode.Positive => WhiteToGreen,
        SignMode.Negative => WhiteToRed,
        SignMode.Absolute => WhiteToBlue,
        SignMode.All => BlueWhiteRed,
        _ => throw new ArgumentOutOfRangeException(nameof(sign), sign, "unknown sign mode"),
    };

    /// <summary>The colour at <paramref name="position"/>, clamped to [0, 1].</summary>
    public SKColor At(double position)
    {
        var scaled = Math.Clamp(position, 0, 1) * (anchors.Length - 1);
        var lower = Math.Min((int)scaled, anchors.Length - 2);
        var t = scaled - lower;
        var (from, to) = (anchors[lower], anchors[lower + 1]);
        return new SKColor(Mix(from.Red, to.Red, t), Mix(from.Green, to.Green, t), Mix(from.Blue, to.Blue, t));
    }

    /// <summary>The colour of a normalised attribution: [0, 1], or [−1, 1] under <see cref="SignMode.All"/>.</summary>
    public static SKColor Of(float value, SignMode sign) =>
        sign == SignMode.All ? BlueWhiteRed.At((value + 1) / 2.0) : For(sign).At(value);

    static byte Mix(byte from, byte to, double t) => (byte)Math.Round(from + t * (to - from));
}
