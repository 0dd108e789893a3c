namespace Saliency.Attribution.Rendering;

/// <summary>Which attributions a heatmap shows, as in Captum's visualisation.</summary>
public enum SignMode
{
    /// <summary>max(a, 0): what raised the score.</summary>
    Positive,
    /// <summary>max(−a, 0): what lowered the score.</summary>
    Negative,
    /// <summary>|a|: how much each pixel mattered, either way.</summary>
    Absolute,
    /// <summary>a with its sign, on a diverging scale.</summary>
    All,
}
