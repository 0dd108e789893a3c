using System.Globalization;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Saliency.Attribution.Data.Planted;

/// <summary>
/// A square taken from one of the <see cref="SourcePhotographs"/>: its top-left pixel and side in the photograph, and
/// whether it is mirrored left to right. Rendered, it is resized to the image's size.
/// </summary>
public sealed record PhotoCrop(int Photo, int Top, int Left, int Side, bool Mirrored)
{
    /// <summary>The smallest crop's side, as a share of the photograph's: 0.4 of 448 is 179 pixels, rendered at 224 about 1.25 times enlarged.</summary>
    public const double SmallestShare = 0.4;

    /// <summary>A photograph, a side between <see cref="SmallestShare"/> and all of it, a place where it fits, and a coin for the mirror, all uniform.</summary>
    public static PhotoCrop Draw(Random stream, int photographs, int photoSide)
    {
        var photo = stream.Next(photographs);
        var side = (int)Math.Round(photoSide * (SmallestShare + (1 - SmallestShare) * stream.NextDouble()), MidpointRounding.AwayFromZero);
        return new PhotoCrop(photo, stream.Next(photoSide - side + 1), stream.Next(photoSide - side + 1), side, stream.NextDouble() < 0.5);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Photo}@{Top},{Left}x{Side}{(Mirrored ? "m" : "")}");

    /// <summary>Writes the crop, resized to <paramref name="shape"/> (bilinear, antialiased when it shrinks), into <paramref name="destination"/>.</summary>
    public void Render(SourcePhotographs photographs, ImageShape shape, Span<float> destination)
    {
        var photo = photographs[Photo];
        if (Top < 0 || Left < 0 || Top + Side > photographs.Side || Left + Side > photographs.Side)
            throw new ArgumentException($"crop {Describe()} does not fit in a {photographs.Side}×{photographs.Side} photograph");
        using var scope = NewDisposeScope();
        var square = tensor(photo, [1, 3, photographs.Side, photographs.Side]).narrow(2, Top, Side).narrow(3, Left, Side);
        var resized = interpolate(square, [shape.Height, shape.Width], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        if (Mirrored) resized = resized.flip(3);
        if (shape.Channels == 1) resized = resized.mean([1], keepdim: true);
        var values = resized.clamp(0, 1).contiguous().data<float>();
        if (values.Count != destination.Length)
            throw new ArgumentException($"crop {Describe()}: {values.Count} values for a destination of {destination.Length}");
        var i = 0;
        foreach (var value in values) destination[i++] = value;
    }
}
