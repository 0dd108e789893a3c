using Saliency.Attribution.Randomness;
using static TorchSharp.torch;

namespace Saliency.Attribution.Sanity;

/// <summary>
/// The layers of a network as model-parameter randomisation cascades through them (Adebayo et al. 2018, "Sanity checks
/// for saliency maps"), from the output down, and the re-drawing of one layer's weights.
/// </summary>
public static class ModelRandomisation
{
    public const int MaximumSteps = 8;

    /// <summary>
    /// The cascade's steps, output first. Parameters are grouped by module path at the shallowest depth that gives at
    /// least four groups (the whole depth where none does); a group that holds only vectors (a batch norm's scale and
    /// shift) joins the weighted layer before it; more than <see cref="MaximumSteps"/> groups are merged into that many
    /// runs of neighbours. ResNet-18 gets conv1, layer1 … layer4 and fc; the shipped fashion-cnn its three convolutions
    /// and its classifier.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Layers(nn.Module network)
    {
        var parameters = network.named_parameters().Select(p => (Name: p.name, Dimensions: p.parameter.dim())).ToList();
        if (parameters.Count == 0) return [];
        var deepest = parameters.Max(p => p.Name.Split('.').Length - 1);
        List<(string Key, List<(string Name, long Dimensions)> Members)> groups = [];
        for (var depth = 1; depth <= Math.Max(1, deepest); depth++)
        {
            groups = GroupAt(parameters, depth);
            if (groups.Count >= 4) break;
        }
        var merged = new List<List<string>>();
        foreach (var group in groups)
        {
            if (group.Members.All(m => m.Dimensions <= 1) && merged.Count > 0) merged[^1].AddRange(group.Members.Select(m => m.Name));
            else merged.Add(group.Members.Select(m => m.Name).ToList());
        }
        if (merged.Count > MaximumSteps)
        {
            var size = (merged.Count + MaximumSteps - 1) / MaximumSteps;
            merged = merged.Chunk(size).Select(chunk => chunk.SelectMany(g => g).ToList()).ToList();
        }
        merged.Reverse();
        return merged;
    }

    /// <summary>The name a step goes by: the module paths its parameters share (<c>layer4</c>, <c>features.conv3</c>).</summary>
    public static string NameOf(IReadOnlyList<string> parameters)
    {
        var modules = parameters.Select(p => p[..Math.Max(0, p.LastIndexOf('.'))]).Where(p => p.Length > 0).Distinct().ToList();
        return string.Join("+", modules.Take(3)) + (modules.Count > 3 ? "+…" : "");
    }

    /// <summary>
    /// Re-draws the named parameters in place from a normal distribution with each one's own mean and standard deviation
    /// (seeded per parameter), so a randomised layer keeps the scale the next layer expects and only its pattern is lost.
    /// </summary>
    public static void Randomise(nn.Module network, IReadOnlyList<string> names, long seed)
    {
        var chosen = names.ToHashSet();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in network.named_parameters())
        {
            if (!chosen.Contains(name)) continue;
            using var scope = NewDisposeScope();
            using var generator = new Generator(StableSeed.For(seed, 0, name));
            var values = parameter.detach().to(float64);
            var (mean, std) = (values.mean().item<double>(), parameter.numel() > 1 ? values.std().item<double>() : 0);
            var drawn = randn(parameter.shape, dtype: float64, generator: generator) * std + mean;
            parameter.copy_(drawn.to(parameter.dtype, parameter.device));
        }
    }

    static List<(string Key, List<(string Name, long Dimensions)> Members)> GroupAt(List<(string Name, long Dimensions)> parameters, int depth)
    {
        var groups = new List<(string Key, List<(string Name, long Dimensions)> Members)>();
        foreach (var parameter in parameters)
        {
            var segments = parameter.Name.Split('.');
            var key = string.Join('.', segments.Take(Math.Min(depth, segments.Length - 1)));
            if (groups.Count > 0 && groups[^1].Key == key) groups[^1].Members.Add(parameter);
            else groups.Add((key, [parameter]));
        }
        return groups;
    }
}
