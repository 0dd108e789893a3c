namespace Saliency.Attribution.Data;

/// <summary>
/// How a photograph becomes a model input, as torchvision's <c>Resize(resize)</c> then <c>CenterCrop</c>: the shorter
/// side is scaled to <see cref="Resize"/> (the aspect ratio kept), then the centre is cut to the model's input size.
/// Without a resize, the shorter side is scaled to fit the crop exactly.
/// </summary>
public sealed record ImagePreprocess(
    [property: System.Text.Json.Serialization.JsonPropertyName("resize")] int? Resize = null,
    [property: System.Text.Json.Serialization.JsonPropertyName("crop")] int? Crop = null)
{
    public static ImagePreprocess Default { get; } = new();

    /// <summary>The input a model takes when it declares no shape but a crop: RGB, crop × crop.</summary>
    public ImageShape? ImpliedInput => Crop is { } crop ? new ImageShape(3, crop, crop) : null;

    /// <summary>Throws when the crop does not give the model's input size or a size is not positive.</summary>
    public void Validate(ImageShape input, string source)
    {
        if (Resize is < 1 || Crop is < 1)
            throw new ArgumentException($"{source}: preprocess sizes must be positive, got resize {Resize}, crop {Crop}");
        if (Crop is { } crop && (crop != input.Height || crop != input.Width))
            throw new ArgumentException($"{source}: preprocess crop {crop} does not give the model's input {input.Height}×{input.Width}");
        if (Resize is { } resize && resize < Math.Min(input.Height, input.Width))
            throw new ArgumentException($"{source}: preprocess resize {resize} is smaller than the input {input.Height}×{input.Width}");
    }

    /// <summary>
    /// Where the output lies in an image of <paramref name="width"/> × <paramref name="height"/>: the size the whole image
    /// is resized to, and the top-left corner of the crop in that resized image (rounded as torchvision rounds).
    /// </summary>
    public CropGeometry Geometry(int width, int height, ImageShape output)
    {
        int resizedWidth, resizedHeight;
        if (Resize is { } target)
            (resizedWidth, resizedHeight) = width <= height
                ? (target, (int)((long)target * height / width))
                : ((int)((long)target * width / height), target);
        else
        {
            var scale = Math.Max(output.Width / (double)width, output.Height / (double)height);
            (resizedWidth, resizedHeight) = (Math.Max(output.Width, (int)Math.Round(width * scale)), Math.Max(output.Height, (int)Math.Round(height * scale)));
        }
        if (resizedWidth < output.Width || resizedHeight < output.Height)
            throw new ArgumentException($"resize {Resize} gives {resizedWidth}×{resizedHeight}, smaller than the crop {output.Width}×{output.Height}");
        var left = (int)Math.Round((resizedWidth - output.Width) / 2.0, MidpointRounding.ToEven);
        var top = (int)Math.Round((resizedHeight - output.Height) / 2.0, MidpointRounding.ToEven);
        return new CropGeometry(resizedWidth, resizedHeight, left, top);
    }
}

/// <summary>An image resized to <see cref="Width"/> × <see cref="Height"/>, of which the crop starts at (<see cref="Left"/>, <see cref="Top"/>).</summary>
public readonly record struct CropGeometry(int Width, int Height, int Left, int Top);
