namespace Saliency.Attribution.Methods;

/// <summary>
/// Every attribution method, each by its descriptor: the one list that specs, <c>attribute</c>, the step limit and the
/// docs read. A method is added by writing its descriptor and listing it here.
/// </summary>
public static class MethodCatalog
{
    public static IReadOnlyList<MethodDescriptor> All { get; } =
    [
        new IntegratedGradientsDescriptor(), new GradientDescriptor(), new GradientTimesInputDescriptor(),
        new SmoothGradDescriptor(), new SmoothGradSquaredDescriptor(), new VarGradDescriptor(), new GradCamDescriptor(),
        new IgosDescriptor(), new IgosPlusPlusDescriptor(), new OcclusionDescriptor(), new RiseDescriptor(),
        new BlurIntegratedGradientsDescriptor(), new GuidedIntegratedGradientsDescriptor(),
        new RandomMapDescriptor(), new EdgeMapDescriptor(), new NoopMapDescriptor(),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(m => m.Name).ToArray();

    public static MethodDescriptor? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <exception cref="ArgumentException">No method has that name; the message lists those that do.</exception>
    public static MethodDescriptor Get(string name) =>
        Find(name) ?? throw new ArgumentException($"unknown method '{name}' (known: {string.Join(", ", Names)})");
}
