using Saliency.Attribution.Data;
using Saliency.Attribution.Models;
using Saliency.Attribution.Randomness;
using static TorchSharp.torch;

namespace Saliency.Attribution.Methods;

/// <summary>
/// Uniform random saliency, seeded per image: the floor every method must beat on the faithfulness
/// metrics. It never runs the model's backward pass.
/// </summary>
public sealed class RandomMap(long seed = 0) : IAttributionMethod
{
    public string Name => "random";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target) =>
        PreparedImages.AttributeAll(model, images, target, ScoreKind.Logit, 256, 0, prepared =>
        {
            var shape = prepared.Inputs.shape[1..];
            return stack(images.Keys.Select(key =>
            {
                using var generator = new Generator(StableSeed.For(seed, key, Name));
                return rand(shape, generator: generator);
            }).ToArray());
        });
}
