using Saliency.Attribution.Data;
using Saliency.Attribution.Randomness;

namespace Saliency.Attribution.Baselines;

/// <summary>
/// <c>expected:k</c>, expected gradients (Erion et al. 2021): the path integral averaged over baselines
/// drawn from the data. k reference images are drawn once per seed from the reference set, and only they are decoded; each of the
/// method's steps then draws one reference and one α ~ U(0, 1), so the steps are Monte Carlo samples.
/// </summary>
public sealed record ExpectedBaseline(int Count, Func<ImageCatalog> ReferenceImages) : Baseline($"expected:{Count}")
{
    public override bool IsRandom => true;

    public ImageSet DrawReferences(long seed)
    {
        var all = ReferenceImages();
        if (all.Count == 0) throw new InvalidDataException($"baseline '{Name}': the reference set {all.Source} is empty");
        var random = StableSeed.Random(seed, -1, Name);
        var positions = Enumerable.Range(0, Count).Select(_ => random.Next(all.Count)).ToArray();
        return all.Read(positions).Images;
    }
}
