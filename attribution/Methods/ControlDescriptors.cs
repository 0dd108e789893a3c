namespace Saliency.Attribution.Methods;

/// <summary>The random control (<see cref="RandomMap"/>): a map that knows nothing of the model or the image.</summary>
public sealed class RandomMapDescriptor : MethodDescriptor
{
    public override string Name => "random";
    public override string Summary => "A control: uniform noise, drawn per image from the seed; any metric should rank it last.";
    public override MethodNeeds Needs => MethodNeeds.Seed;
    public override IAttributionMethod Create(MethodArguments arguments) => new RandomMap(arguments.Seed);
}

/// <summary>The edge control (<see cref="EdgeMap"/>): the image's edges, blind to the model.</summary>
public sealed class EdgeMapDescriptor : MethodDescriptor
{
    public override string Name => "edge";
    public override string Summary => "A control: the image's edges, which know nothing of the model.";
    public override IAttributionMethod Create(MethodArguments arguments) => new EdgeMap();
}

/// <summary>A method that computes nothing (<see cref="NoopMap"/>), to measure the machinery around the maps.</summary>
public sealed class NoopMapDescriptor : MethodDescriptor
{
    public const string Variant = "variant";

    public override string Name => "noop";
    public override string Summary => "No map at all: zeros, for measuring what a sweep costs besides its methods.";

    // Variants only tell apart the trials of a sweep that measures the machinery with many of them.
    public override IReadOnlyList<ParameterDefinition> Parameters { get; } = [new(Variant, ParameterKind.Count, "1")];

    public override IAttributionMethod Create(MethodArguments arguments) => new NoopMap();
}
