namespace Saliency.Attribution.Methods;

/// <summary>What a method draws on beyond the model, the images and its parameters.</summary>
[Flags]
public enum MethodNeeds
{
    None = 0,
    /// <summary>Random numbers, fixed by the sweep's <c>seed</c> (or <c>attribute --seed</c>), so two runs give the same maps.</summary>
    Seed = 1,
    /// <summary>A layer of the network, by name.</summary>
    Layer = 2,
    /// <summary>Other images of the data set (IG's <c>expected:K</c> baseline draws its baselines from them).</summary>
    ReferenceImages = 4,
}
