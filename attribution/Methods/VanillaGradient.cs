using Saliency.Attribution.Data;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Methods;

/// <summary>
/// The gradient of the target's score at the input (Simonyan, Vedaldi and Zisserman 2014,
/// "Deep Inside Convolutional Networks"); by default its magnitude, as Captum's Saliency returns it.
/// </summary>
public sealed class VanillaGradient(bool absolute = true, ScoreKind score = ScoreKind.Logit, int internalBatchSize = 64) : IAttributionMethod
{
    public string Name => "gradient";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target) =>
        PreparedImages.AttributeAll(model, images, target, score, internalBatchSize, 1, prepared =>
        {
            var gradients = ClassScore.GradientsInBatches(model, prepared.Inputs, prepared.Targets, score, internalBatchSize);
            return absolute ? gradients.abs() : gradients;
        });
}

/// <summary>Gradient × input (Shrikumar et al. 2016): the first-order Taylor term of the score at the input.</summary>
public sealed class GradientTimesInput(ScoreKind score = ScoreKind.Logit, int internalBatchSize = 64) : IAttributionMethod
{
    public string Name => "gradient-x-input";

    public IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target) =>
        PreparedImages.AttributeAll(model, images, target, score, internalBatchSize, 1, prepared =>
            ClassScore.GradientsInBatches(model, prepared.Inputs, prepared.Targets, score, internalBatchSize) * prepared.Inputs);
}
