using System.Globalization;
using Saliency.Attribution.Imaging;
using Saliency.Attribution.Models;
using static TorchSharp.torch;

namespace Saliency.Attribution.Metrics;

/// <summary>
/// What deletion fades pixels to and insertion starts from: <c>black</c>, <c>mean</c> (zeros in the model's
/// normalised space, i.e. its per-channel mean pixel), <c>blur</c>, <c>blur:σ</c> or <c>blur:σ:k</c>. A plain
/// <c>blur</c> scales σ with the image as I-GOS blurs its 224-pixel images with σ 50; <c>blur:σ:k</c> is OpenCV's
/// blur with a k×k kernel, as the I-GOS reference calls it (<see cref="GaussianBlur.Apply(Tensor, double, int)"/>).
/// </summary>
public sealed record Substrate(string Name, double? Sigma = null, int? KernelSize = null)
{
    public static IReadOnlyList<string> Forms { get; } = new[] { "black", "mean", "blur", "blur:SIGMA", "blur:SIGMA:K" };

    public static Substrate Blur { get; } = new("blur");

    public static Substrate Parse(string text) => text.Split(':') switch
    {
        ["black" or "mean" or "blur"] => new Substrate(text),
        ["blur", var sigma] when PositiveNumber(sigma) is { } s => new Substrate(text, s),
        ["blur", var sigma, var size] when PositiveNumber(sigma) is { } s && OddSize(size) is { } k => new Substrate(text, s, k),
        _ => throw new ArgumentException($"unknown substrate '{text}' (known: {string.Join(", ", Forms)})"),
    };

    static double? PositiveNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value) ? value : null;

    static int? OddSize(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && value % 2 == 1 ? value : null;

    /// <summary>σ of a blur at the reference's proportion: 50 pixels on a 224-pixel side.</summary>
    public static double ScaledBlurSigma(long side) => 50.0 * side / 224;

    /// <returns>[N, C, H, W] substrate images for [N, C, H, W] pixel images, in the caller's scope.</returns>
    public Tensor Create(Tensor images, ImageClassifier model) => Name switch
    {
        "black" => zeros_like(images),
        "mean" when model.Spec.Mean is { } mean => tensor(mean).to(images.dtype, images.device).view(1, -1, 1, 1).expand_as(images).contiguous(),
        "mean" => zeros_like(images),
        _ when KernelSize is { } size => GaussianBlur.Apply(images, Sigma!.Value, size),
        _ => GaussianBlur.Apply(images, Sigma ?? ScaledBlurSigma(Math.Min(images.shape[2], images.shape[3]))),
    };

    public override string ToString() => Name;
}
