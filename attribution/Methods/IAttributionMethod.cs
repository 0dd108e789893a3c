using Saliency.Attribution.Data;
using Saliency.Attribution.Models;

namespace Saliency.Attribution.Methods;

/// <summary>
/// The calling convention every attribution method shares: a model, images in pixel space and a
/// target; one map per image, shaped like the input.
/// </summary>
public interface IAttributionMethod
{
    string Name { get; }

    IReadOnlyList<ImageAttribution> Attribute(ImageClassifier model, ImageSet images, Target target);
}
